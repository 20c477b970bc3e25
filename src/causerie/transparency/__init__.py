"""The transparency report (DESIGN.md rule 8): figures for a period and their renderings."""
