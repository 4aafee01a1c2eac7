import SiaranCLI

SiaranCommand.main()
