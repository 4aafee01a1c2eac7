import SiaranCLI

SiaranCommand.runLight()
