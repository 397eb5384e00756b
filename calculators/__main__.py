"""`python -m calculators …`: the command line (calculators.adapters.cli)."""

from calculators.adapters.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
