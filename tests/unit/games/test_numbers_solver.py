from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.games.calculation import parse_calculation
from causerie.games.comptestbon import HIGHEST_TARGET, LOWEST_TARGET, PLAQUES
from causerie.games.numbers_solver import solve

plaque_sets = st.lists(st.sampled_from(PLAQUES), min_size=6, max_size=6)
targets = st.integers(LOWEST_TARGET, HIGHEST_TARGET)
small_sets = st.lists(st.integers(1, 6), min_size=6, max_size=6)
"""Small plaques often cannot reach the target: the closest is then what is tested."""


def test_solve_finds_a_known_exact_solution() -> None:
    solution = solve([75, 25, 3, 7, 1, 2], 293)

    assert solution.is_exact and solution.value == 293
    assert parse_calculation(solution.text, [75, 25, 3, 7, 1, 2]).value == 293


def test_solve_unreachable_target_gives_the_closest() -> None:
    solution = solve([1, 1, 2, 2, 3, 3], 999)

    assert not solution.is_exact and solution.value == 81  # 3×3×(1+2)×(1+2) is the most
    assert parse_calculation(solution.text, [1, 1, 2, 2, 3, 3]).value == 81


@settings(max_examples=40, deadline=None)
@given(plaque_sets, targets)
def test_solve_solution_is_a_valid_calculation_reaching_what_it_says(
    six: list[int], target: int
) -> None:
    solution = solve(six, target)

    calculation = parse_calculation(solution.text, six)
    assert calculation.value == solution.value
    assert solution.is_exact == (solution.value == target)


@settings(max_examples=40, deadline=None)
@given(st.one_of(plaque_sets, small_sets), targets, st.data())
def test_solve_no_random_calculation_gets_closer(
    six: list[int], target: int, data: st.DataObject
) -> None:
    best = abs(solve(six, target).value - target)
    # A random game: combine two of the numbers left by a random operation, again and again;
    # every number made on the way is a calculation a player could type.
    pool = [(plaque, str(plaque)) for plaque in six]
    made = list(pool)
    while len(pool) > 1 and data.draw(st.booleans()):
        i, j = data.draw(
            st.lists(st.integers(0, len(pool) - 1), min_size=2, max_size=2, unique=True)
        )
        (a, ta), (b, tb) = pool[i], pool[j]
        op = data.draw(st.sampled_from("+-*/"))
        if (op == "-" and a <= b) or (op == "/" and a % b):
            continue
        text = f"({ta}){op}({tb})"
        value = parse_calculation(text, six).value
        pool = [item for k, item in enumerate(pool) if k not in (i, j)] + [(value, text)]
        made.append((value, text))

    assert all(abs(value - target) >= best for value, _ in made)


def _every_value(plaques: list[int]) -> set[int]:
    """Reference: every value any calculation over the plaques makes, by brute force over
    subsets (no pruning, no texts)."""
    made: dict[int, set[int]] = {}
    for mask in sorted(range(1, 1 << len(plaques)), key=lambda m: m.bit_count()):
        if mask.bit_count() == 1:
            made[mask] = {plaques[mask.bit_length() - 1]}
            continue
        values: set[int] = set()
        part = (mask - 1) & mask
        while part:
            for a in made[part]:
                for b in made[mask ^ part]:
                    values |= {a + b, a * b}
                    if a > b:
                        values.add(a - b)
                    if a % b == 0:
                        values.add(a // b)
            part = (part - 1) & mask
        made[mask] = values
    return set().union(*made.values())


@settings(max_examples=25)
@given(st.one_of(plaque_sets, small_sets), targets)
def test_solve_finds_the_nearest_of_every_value(six: list[int], target: int) -> None:
    nearest = min(_every_value(six), key=lambda value: (abs(value - target), value))

    assert solve(six, target).value == nearest
