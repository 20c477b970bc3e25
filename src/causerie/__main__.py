"""`python -m causerie` runs the command line."""

from causerie.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
