"""The rule what-if (SPEC §11b): draft local rule sets, their replay over past cases, the report,
and adoption as a real rule set. Nothing here writes a live deadline."""
