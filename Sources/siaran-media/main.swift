import SiaranCLI

// The libav-linked commands (record, import, captions, clip, recover, demo) run here; every other
// command works here too, so this executable is a complete siaran.
SiaranCommand.main()
