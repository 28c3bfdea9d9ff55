from hrcoord.cli.main import run

run()
