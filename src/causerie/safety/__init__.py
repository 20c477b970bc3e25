"""Safety: automatic moderation, reports, the audit log, statements of reasons, age checks."""
