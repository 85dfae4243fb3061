from pamflet.cli import main

main()
