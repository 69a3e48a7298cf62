import Foundation
import TBSimCommands

exit(TBSim.run(arguments: Array(CommandLine.arguments.dropFirst())))
