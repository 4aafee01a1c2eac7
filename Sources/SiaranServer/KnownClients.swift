import Foundation

/// The clients that signed in successfully before, per name: a device (the random token of its
/// `siaran_device` cookie) or an address. Kept in memory, bounded: the oldest are forgotten first.
struct KnownClients: Sendable {
    private var devices: [String: Set<String>] = [:]
    private var addresses: Set<String> = []
    /// Keys in the order they were remembered, to forget the oldest.
    private var order: [String] = []
    let capacity: Int

    init(capacity: Int = 20_000) { self.capacity = capacity }

    func isKnown(device: String, name: String) -> Bool { devices[device]?.contains(name) == true }

    func isKnown(address: String, name: String) -> Bool { addresses.contains(address + "|" + name) }

    mutating func remember(address: String, device: String, name: String) {
        if devices[device] == nil { order.append("device:" + device) }
        devices[device, default: []].insert(name)
        if addresses.insert(address + "|" + name).inserted { order.append("address:" + address + "|" + name) }
        while order.count > capacity {
            let oldest = order.removeFirst()
            if oldest.hasPrefix("device:") { devices[String(oldest.dropFirst(7))] = nil } else { addresses.remove(String(oldest.dropFirst(8))) }
        }
    }
}
