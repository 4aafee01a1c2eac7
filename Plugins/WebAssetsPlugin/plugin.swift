import Foundation
import PackagePlugin

/// Compiles the files under a target's `Web/` folder into it (as `WebFiles.base64`), through the
/// `siaran-web-assets` tool, whenever one of them changes.
@main
struct WebAssetsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let folder = target.directoryURL.appending(path: "Web")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) {
            for case let file as URL in walker where !file.hasDirectoryPath { inputs.append(file) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "WebFiles.swift")
        return [.buildCommand(displayName: "Embedding \(inputs.count) web files of \(target.name)",
                              executable: try context.tool(named: "siaran-web-assets").url,
                              arguments: [folder.path, output.path],
                              inputFiles: inputs, outputFiles: [output])]
    }
}
