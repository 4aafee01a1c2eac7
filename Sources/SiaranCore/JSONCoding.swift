import Foundation

/// The JSON encoders and decoders for Siaran's files and `--json` output: sorted keys, ISO 8601 dates.
public enum JSONCoding {
    /// Pretty, sorted, stable output for files people read.
    /// With `zone`, dates are written with that zone's offset ("2021-09-15T09:00:00+07:00", for
    /// `--json` output); without, in UTC with milliseconds, as the session files keep them.
    public static func encoder(pretty: Bool = true, zone: TimeZone? = nil) -> JSONEncoder {
        let encoder = JSONEncoder()
        let office = zone.map { OfficeTime(zone: $0) }
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(office.map { $0.iso8601(date) } ?? ISO8601.format(date))
        }
        return encoder
    }

    /// Reads what `encoder()` wrote.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
            }
            return date
        }
        return decoder
    }
}
