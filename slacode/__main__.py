from slacode.cli import main

main()
