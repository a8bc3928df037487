"""Services: the only way the GUI, the CLI, imports and sync change data. No Qt here."""
