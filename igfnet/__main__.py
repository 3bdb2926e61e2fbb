from igfnet.cli import main

main()
