/// The candidate nearest to `word` by edit distance when close enough to be a typo.
public func closest(to word: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
    let w = Array(word.lowercased())
    var best: (String, Int)?
    for c in candidates {
        let d = distance(w, Array(c.lowercased()))
        if d <= max(1, min(3, c.count / 3)), best == nil || d < best!.1 { best = (c, d) }
    }
    return best?.0
}
