import ArgumentParser
import Foundation
import SiaranAccounts
import SiaranArchive
#if canImport(Glibc)
import Glibc
#endif

/// `siaran user …`: the accounts of the web companion, in the archive's users file.
public struct UserCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage who may sign in to `siaran serve`: add, remove, passwd, role, office, list.",
        discussion: "Roles: viewer (browse, play, search), tagger (also tag live and correct tags), admin (also schedule recordings). Passwords are stored as bcrypt hashes in <archive>/.users.json (mode 0600). On a server with a shared catalog, a user of another office (--office) sees only what that office may see.",
        subcommands: [Add.self, Remove.self, Passwd.self, SetRole.self, SetOffice.self, List.self]
    )

    struct PasswordSource: ParsableArguments {
        @Flag(help: "Read the password from the first line of standard input (for scripts) instead of asking.") var passwordStdin = false

        func read(confirm: Bool) throws -> String {
            if passwordStdin || isatty(STDIN_FILENO) == 0 {
                guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
                    throw CommandFailure("no password on standard input")
                }
                return line
            }
            let first = try Self.ask("Password: ")
            if confirm, try Self.ask("Again: ") != first { throw CommandFailure("the two passwords differ; nothing changed") }
            return first
        }

        /// Asks at the terminal with echo off.
        static func ask(_ prompt: String) throws -> String {
            FileHandle.standardError.write(Data(prompt.utf8))
            var saved = termios()
            tcgetattr(STDIN_FILENO, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
            defer {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            guard let line = Swift.readLine(strippingNewline: true) else { throw CommandFailure("no password given") }
            return line
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user (asks for the password).")
        @Argument(help: "The user's name (letters, digits, '.', '_', '-').") var name: String
        @Option(help: "viewer, tagger or admin.") var role: Role = .viewer
        @Option(help: ArgumentHelp("The office the user belongs to, when not this server's own (a shared catalog decides what it sees).",
                                   valueName: "office")) var office: String?
        @OptionGroup var password: PasswordSource
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let file = UserFile(archive: Archive(path: archive.archive))
            let account = try accountWork { try file.add(name: name, role: role, password: try password.read(confirm: true), office: office) }
            print("added \(account.name) (\(account.role.rawValue)\(account.office.map { ", office \($0)" } ?? "")) to \(file.path)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user (a running server signs them out within a minute).")
        @Argument var name: String
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let file = UserFile(archive: Archive(path: archive.archive))
            try accountWork { try file.remove(name: name) }
            print("removed \(name)")
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (asks for it).")
        @Argument var name: String
        @OptionGroup var password: PasswordSource
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let file = UserFile(archive: Archive(path: archive.archive))
            try accountWork { try file.setPassword(name: name, password: try password.read(confirm: true)) }
            print("changed the password of \(name)")
        }
    }

    struct SetRole: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Change a user's role.")
        @Argument var name: String
        @Argument(help: "viewer, tagger or admin.") var role: Role
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let file = UserFile(archive: Archive(path: archive.archive))
            try accountWork { try file.setRole(name: name, role: role) }
            print("\(name) is now \(role.rawValue)")
        }
    }

    struct SetOffice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "office", abstract: "Set the office a user belongs to (without one: this server's own).")
        @Argument var name: String
        @Argument(help: "The office's name, as `siaran catalog office` gave it.") var office: String?
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let file = UserFile(archive: Archive(path: archive.archive))
            try accountWork { try file.setOffice(name: name, office: office) }
            print(office.map { "\(name) now belongs to office \($0)" } ?? "\(name) now belongs to this server's own office")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users and their roles.")
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let file = UserFile(archive: Archive(path: archive.archive))
            let users = try accountWork { try file.load() }
            if users.isEmpty { print("no users yet; add one with `siaran user add NAME --role admin`"); return }
            for user in users { print("\(user.name)  \(user.role.rawValue)" + (user.office.map { "  office \($0)" } ?? "")) }
        }
    }
}

extension Role: ExpressibleByArgument {}

/// Runs account work, turning its errors into the command line's.
@discardableResult
func accountWork<T>(_ work: () throws -> T) throws -> T {
    do { return try work() } catch let error as AccountError { throw CommandFailure(error.description) }
}
