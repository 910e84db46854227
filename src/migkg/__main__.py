"""Run the command-line interface: ``python -m migkg``."""

from migkg.cli import main

main()
