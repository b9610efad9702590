package io.github.jwtkeyring.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.github.jwtkeyring.store.jdbc.SchemaMigrations;

/**
 * A private PostgreSQL server for tests, started from the machine's PostgreSQL binaries (Debian's
 * {@code postgresql-15} puts them under {@code /usr/lib/postgresql/15/bin}) in a temporary directory on a free
 * loopback port, and removed afterwards. Quarkus Dev Services would need a Docker engine; this needs none.
 * <p>
 * As root, the server runs as the unprivileged user {@code postgres} (or {@code nobody}), since PostgreSQL refuses to
 * run as root. {@link #shared()} is one server for the whole test JVM; tests that stop and start the server make
 * their own with {@link #start()}.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String USER = "keyring";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path base;
    private final Path bin;
    private final int port;
    private final String osUser;

    private PostgresServer(Path base, Path bin, int port, String osUser) {
        this.base = base;
        this.bin = bin;
        this.port = port;
        this.osUser = osUser;
    }

    /** The server of this test JVM, started on first use and stopped when the JVM ends. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            PostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-test-server-stop"));
        }
        return shared;
    }

    /** A new server of its own; the caller closes it. */
    public static PostgresServer start() {
        Path bin = binaries();
        try {
            Path base = Files.createTempDirectory("keyring-pg-");
            String osUser = isRoot() ? unprivilegedUser() : null;
            if (osUser != null) {
                run(List.of("chown", osUser, base.toString()), null);
            }
            PostgresServer server = new PostgresServer(base, bin, freePort(), osUser);
            server.initdb();
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path binaries() {
        String override = System.getenv("KEYRING_TEST_PG_BIN");
        if (override != null) {
            return Path.of(override);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> versionOf(b.getParent()))).orElseThrow(PostgresServer::missing);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw missing();
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static IllegalStateException missing() {
        return new IllegalStateException("No PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin. "
                + "The jdbc store tests start a private PostgreSQL server: install Debian's package 'postgresql-15' "
                + "(apt-get install postgresql-15), or point KEYRING_TEST_PG_BIN at a directory with initdb and pg_ctl.");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String unprivilegedUser() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("postgres:"))
                    ? "postgres"
                    : "nobody";
        } catch (IOException e) {
            return "nobody";
        }
    }

    private Path data() {
        return base.resolve("data");
    }

    private void initdb() {
        pg(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", USER, "--auth=trust", "-E",
                "UTF8", "--no-sync", "--no-instructions"));
    }

    private void startServer() {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", base.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off "
                        + "-c max_connections=200",
                "start"));
    }

    /** Stops the server, keeping its data, as an outage would. */
    public void stop() {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-w", "-t", "60", "-m", "fast", "stop"));
    }

    /** Starts the server again after {@link #stop()}, on the same port and data. */
    public void restart() {
        startServer();
    }

    private void pg(List<String> command) {
        run(command, osUser);
    }

    private static void run(List<String> command, String asUser) {
        List<String> full = new ArrayList<>();
        if (asUser != null) {
            full.addAll(List.of("runuser", "-u", asUser, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", full) + "' failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** A new, empty database. */
    public String createDatabase() {
        String name = "keyring_test_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return name;
    }

    /** The JDBC URL of {@code database}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The user name every connection uses (trust authentication, no password). */
    public String user() {
        return USER;
    }

    /** A plain datasource for {@code database}. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(jdbcUrl(database));
        source.setUser(USER);
        return source;
    }

    /** A new database with JWT Keyring's schema migrated as the application does at startup. */
    public DataSource migratedDatabase() {
        DataSource source = dataSource(createDatabase());
        SchemaMigrations.migrate(source, "test database");
        return source;
    }

    /**
     * Stops the server at once (its data is thrown away, so nothing needs a clean shutdown) and deletes its directory
     * with {@code rm -rf}: tens of thousands of files after a test run, which the JVM's shutdown hook must remove well
     * within Surefire's time for the forked JVM to exit.
     */
    @Override
    public void close() {
        try {
            pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-w", "-t", "20", "-m", "immediate",
                    "stop"));
        } catch (RuntimeException e) {
            // already stopped
        }
        try {
            run(List.of("rm", "-rf", base.toString()), null);
        } catch (RuntimeException e) {
            // a leftover temporary directory is harmless
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
