"""The command line: thin typer commands over the library modules, one module per group."""
