import ArgumentParser
import Foundation

// Checks made before any work starts, so a typo in an output path or an endpoint costs
// nothing: today's failures after a whole computation or game become immediate errors.

/// Refuses `path` (given with `option`) unless a file can be written there: an existing
/// path must be a writable file, a new one needs a writable directory. Nothing is created.
func checkWritableFile(_ path: String, option: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        if isDirectory.boolValue { throw ValidationError("\(option) \(path): is a directory") }
        if access(path, W_OK) != 0 { throw ValidationError("\(option) \(path): not writable (\(String(cString: strerror(errno))))") }
        return
    }
    let parent = (path as NSString).deletingLastPathComponent
    let dir = parent.isEmpty ? "." : parent
    guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw ValidationError("\(option) \(path): directory \(dir) does not exist")
    }
    if access(dir, W_OK | X_OK) != 0 {
        throw ValidationError("\(option) \(path): cannot create files in \(dir) (\(String(cString: strerror(errno))))")
    }
}

/// Refuses `path` (given with `option`) unless it is, or can be made, a writable
/// directory: the nearest existing ancestor must be a writable directory.
func checkWritableDirectory(_ path: String, option: String) throws {
    var current = path
    var isDirectory: ObjCBool = false
    while !FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory) {
        let parent = (current as NSString).deletingLastPathComponent
        current = parent.isEmpty ? "." : parent
        if current == "/" || current == "." { break }
    }
    guard FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw ValidationError("\(option) \(path): \(current) is not a directory")
    }
    if access(current, W_OK | X_OK) != 0 {
        throw ValidationError("\(option) \(path): \(current) is not writable (\(String(cString: strerror(errno))))")
    }
}
