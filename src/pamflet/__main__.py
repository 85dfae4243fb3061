from pamflet.cli import run

run()
