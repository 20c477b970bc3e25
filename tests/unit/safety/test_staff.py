"""Staff accounts: argon2id passwords, TOTP, one indistinct login failure, who moderates where."""

from __future__ import annotations

import dataclasses

import pyotp
import pytest
from argon2 import PasswordHasher

from causerie.errors import CauserieError, ErrorCode
from causerie.safety import staff
from causerie.safety.staff import (
    StaffAccount,
    StaffAuthError,
    StaffRole,
    authenticate,
    can_moderate,
    check_login,
    check_password,
    check_totp,
    hash_password,
    needs_rehash,
    new_totp_secret,
    totp_step_of,
    totp_uri,
    validate_staff_name,
)

NOW_S = 1_750_000_000.0
PASSWORD = "correct horse battery staple"
# Cheap parameters keep the tests fast; verification reads the parameters from the hash itself.
_CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
CHEAP_HASH = _CHEAP.hash(PASSWORD)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _account(**changes: object) -> StaffAccount:
    account = StaffAccount(name="Sophie_Modo", role=StaffRole.MODERATOR, password_hash=CHEAP_HASH)
    return dataclasses.replace(account, **changes)  # type: ignore[arg-type]


def _code(at_s: float, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(at_s)


# -- passwords ---------------------------------------------------------------------------------


def test_hash_password_argon2id_checks_and_is_current() -> None:
    account = _account(password_hash=hash_password(PASSWORD))

    assert account.password_hash.startswith("$argon2id$")
    assert check_password(account, PASSWORD)
    assert not check_password(account, PASSWORD + "!")
    assert not needs_rehash(account)


def test_hash_password_salted_differs_each_time() -> None:
    assert hash_password(PASSWORD) != hash_password(PASSWORD)


def test_check_password_wrong_password_false() -> None:
    assert check_password(_account(), PASSWORD)
    assert not check_password(_account(), "wrong")
    assert not check_password(_account(), "")


@pytest.mark.parametrize(
    "garbled",
    [
        "",
        "not a hash",
        CHEAP_HASH[:-6],
        CHEAP_HASH.replace("argon2id", "argon2d"),
        "$argon2id$v=19$m=65536,t=3,p=4$$",
        "$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
        "é" * 40,
        "$2b$12$" + "x" * 53,  # bcrypt
    ],
    ids=[
        "empty",
        "not a hash",
        "truncated",
        "argon2d",
        "no salt",
        "tiny cost",
        "not ascii",
        "bcrypt",
    ],
)
def test_check_password_garbled_hash_false_and_needs_rehash(garbled: str) -> None:
    account = _account(password_hash=garbled)

    assert not check_password(account, PASSWORD)
    assert needs_rehash(account)


def test_needs_rehash_weak_parameters_true() -> None:
    assert needs_rehash(_account())


def test_dummy_hash_uses_current_parameters() -> None:
    # The unknown-name path must cost what a real verification costs.
    assert not needs_rehash(_account(password_hash=staff._DUMMY_HASH))


def test_staff_account_repr_hides_secrets() -> None:
    text = repr(_account(totp_secret=SECRET))

    assert CHEAP_HASH not in text
    assert SECRET not in text
    assert "Sophie_Modo" in text


# -- TOTP --------------------------------------------------------------------------------------


def test_new_totp_secret_random_base32() -> None:
    first, second = new_totp_secret(), new_totp_secret()

    assert first != second
    assert len(first) >= 32
    assert check_totp(first, _code(NOW_S, first), NOW_S)


def test_totp_uri_names_account_and_issuer() -> None:
    uri = totp_uri("Sophie_Modo", SECRET)

    assert uri.startswith("otpauth://totp/Causerie:Sophie_Modo?")
    assert f"secret={SECRET}" in uri
    assert "issuer=Causerie" in uri
    assert "issuer=Autre" in totp_uri("Sophie_Modo", SECRET, issuer="Autre")


def test_check_totp_current_code_true() -> None:
    assert check_totp(SECRET, _code(NOW_S), NOW_S)


@pytest.mark.parametrize("spaced", ["{a} {b}", " {a}{b} ", "{a}\t{b}", "{a}  {b}"])
def test_check_totp_code_with_spaces_true(spaced: str) -> None:
    code = _code(NOW_S)

    assert check_totp(SECRET, spaced.format(a=code[:3], b=code[3:]), NOW_S)


@pytest.mark.parametrize("steps", [-1, 1])
def test_check_totp_one_step_either_side_true(steps: int) -> None:
    assert check_totp(SECRET, _code(NOW_S + 30 * steps), NOW_S)


@pytest.mark.parametrize("steps", [-3, -2, 2, 3])
def test_check_totp_two_steps_away_false(steps: int) -> None:
    code = _code(NOW_S + 30 * steps)
    if code in {_code(NOW_S + 30 * near) for near in (-1, 0, 1)}:
        pytest.skip("codes collide by chance")

    assert not check_totp(SECRET, code, NOW_S)


def test_check_totp_wrong_code_false() -> None:
    valid = {_code(NOW_S + 30 * near) for near in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)

    assert not check_totp(SECRET, wrong, NOW_S)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", "123-456"])
def test_check_totp_malformed_code_false(code: str) -> None:
    assert not check_totp(SECRET, code, NOW_S)


@pytest.mark.parametrize("secret", ["", "not base32 !", "0189"])
def test_check_totp_garbled_secret_false(secret: str) -> None:
    assert not check_totp(secret, "123456", NOW_S)


def test_check_totp_time_before_epoch_false() -> None:
    assert not check_totp(SECRET, _code(NOW_S), -1e12)


# -- login -------------------------------------------------------------------------------------


def test_authenticate_password_only_account_returned() -> None:
    account = _account()

    assert authenticate(account, PASSWORD, None, NOW_S) is account


def test_authenticate_with_totp_account_returned() -> None:
    account = _account(totp_secret=SECRET)

    assert authenticate(account, PASSWORD, _code(NOW_S), NOW_S) is account


def _failure(account: StaffAccount | None, password: str, code: str | None) -> StaffAuthError:
    with pytest.raises(StaffAuthError) as caught:
        authenticate(account, password, code, NOW_S)
    return caught.value


def test_authenticate_every_failure_kind_same_error() -> None:
    with_totp = _account(totp_secret=SECRET)
    failures = [
        _failure(None, PASSWORD, _code(NOW_S)),  # unknown name
        _failure(_account(), "wrong", None),  # wrong password
        _failure(with_totp, PASSWORD, None),  # missing code
        _failure(with_totp, PASSWORD, "000000" if _code(NOW_S) != "000000" else "111111"),
        _failure(with_totp, "wrong", _code(NOW_S)),  # right code, wrong password
        _failure(_account(disabled=True), PASSWORD, None),  # disabled, all else right
        _failure(_account(password_hash="garbled"), PASSWORD, None),
    ]

    described = {(e.code, e.key, e.field, str(e), e.args, tuple(e.params)) for e in failures}
    assert described == {
        (ErrorCode.FORBIDDEN, "staff_login_failed", None, str(failures[0]), failures[0].args, ())
    }
    assert all(isinstance(e, CauserieError) for e in failures)


def test_authenticate_unknown_name_still_verifies_a_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    verified: list[str] = []
    real_verify = staff._verify

    def spy(password_hash: str, password: str) -> bool:
        verified.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(staff, "_verify", spy)

    with pytest.raises(StaffAuthError):
        authenticate(None, PASSWORD, None, NOW_S)
    with pytest.raises(StaffAuthError):
        authenticate(_account(disabled=True), PASSWORD, None, NOW_S)

    assert verified == [staff._DUMMY_HASH, CHEAP_HASH]


# -- a TOTP code is good once (injected clock) -------------------------------------------------

STEP = int(NOW_S // 30)


@pytest.mark.parametrize("steps", [-1, 0, 1])
def test_totp_step_of_names_the_step_of_the_code(steps: int) -> None:
    assert totp_step_of(SECRET, _code(NOW_S + 30 * steps), NOW_S) == STEP + steps


@pytest.mark.parametrize("now_s", [float("nan"), float("inf"), -1.0, 1e300])
def test_totp_step_of_impossible_time_none(now_s: float) -> None:
    assert totp_step_of(SECRET, _code(NOW_S), now_s) is None


def test_check_login_gives_the_step_to_record() -> None:
    granted = check_login(_account(totp_secret=SECRET), PASSWORD, _code(NOW_S), NOW_S)

    assert granted.totp_step == STEP
    assert check_login(_account(), PASSWORD, None, NOW_S).totp_step is None


@pytest.mark.parametrize("later_s", [0, 1, 29, 45])
def test_check_login_code_of_the_recorded_step_refused_within_its_window(later_s: int) -> None:
    account = _account(totp_secret=SECRET, totp_last_step=STEP)

    with pytest.raises(StaffAuthError):
        check_login(account, PASSWORD, _code(NOW_S), NOW_S + later_s)


def test_check_login_code_of_an_earlier_step_refused_after_a_later_one() -> None:
    account = _account(totp_secret=SECRET, totp_last_step=STEP + 1)  # the clock-ahead code

    with pytest.raises(StaffAuthError):
        check_login(account, PASSWORD, _code(NOW_S), NOW_S)


def test_check_login_code_of_the_next_step_accepted_after_one_was_used() -> None:
    account = _account(totp_secret=SECRET, totp_last_step=STEP)

    granted = check_login(account, PASSWORD, _code(NOW_S + 30), NOW_S + 30)

    assert granted.totp_step == STEP + 1


# -- who may moderate where ------------------------------------------------------------------

ADMIN = _account(role=StaffRole.ADMIN)
ADMIN_LISTED = _account(role=StaffRole.ADMIN, rooms=("paris",))
GLOBAL_MOD = _account()
ROOM_MOD = _account(rooms=("paris", "lyon"))
DISABLED_ADMIN = _account(role=StaffRole.ADMIN, disabled=True)
DISABLED_MOD = _account(disabled=True)


@pytest.mark.parametrize(
    ("account", "room_id", "allowed"),
    [
        (ADMIN, "paris", True),
        (ADMIN, "marseille", True),
        (ADMIN, None, True),
        (ADMIN_LISTED, "marseille", True),
        (ADMIN_LISTED, None, True),
        (GLOBAL_MOD, "paris", True),
        (GLOBAL_MOD, "marseille", True),
        (GLOBAL_MOD, None, True),
        (ROOM_MOD, "paris", True),
        (ROOM_MOD, "lyon", True),
        (ROOM_MOD, "marseille", False),
        (ROOM_MOD, None, False),
        (DISABLED_ADMIN, "paris", False),
        (DISABLED_ADMIN, None, False),
        (DISABLED_MOD, "paris", False),
        (DISABLED_MOD, None, False),
    ],
)
def test_can_moderate_matrix(account: StaffAccount, room_id: str | None, allowed: bool) -> None:
    assert can_moderate(account, room_id) is allowed


# -- staff names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Admin", "Modérateur", "Sophie_Modo", "Equipe", "Bot", "Causerie"]
)
def test_validate_staff_name_reserved_words_allowed(name: str) -> None:
    assert validate_staff_name(name) == name


def test_validate_staff_name_trimmed_and_composed() -> None:
    assert validate_staff_name("  Mode\u0301rateur ") == "Modérateur"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("a", "nick_length"),
        ("x" * 21, "nick_length"),
        ("bad name", "nick_chars"),
        ("_x", "nick_chars"),
    ],
)
def test_validate_staff_name_nickname_rules_refused_on_name_field(name: str, key: str) -> None:
    with pytest.raises(CauserieError) as caught:
        validate_staff_name(name)

    assert (caught.value.code, caught.value.key, caught.value.field) == (
        ErrorCode.INVALID,
        key,
        "name",
    )
