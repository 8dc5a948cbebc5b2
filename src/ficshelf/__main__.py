from ficshelf.cli import main

main()
