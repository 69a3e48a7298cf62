import TBSimCommands

TBSim.main()
