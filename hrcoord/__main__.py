from hrcoord.cli.main import run

if __name__ == "__main__":  # not when a `spawn` worker imports this module as its main module
    run()
