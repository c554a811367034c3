package dk.casejourney.common;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Durable commits on the embedded H2 database, written to the file once for all the transactions that commit
 * meanwhile (a group commit).
 *
 * <p>H2 (MVStore) keeps committed changes in memory and writes them to the file in a "store", which writes every
 * change made since the previous store. With {@code WRITE_DELAY=0} every transaction that changes something runs
 * its own store before its commit returns, and concurrent writers each pay for one. Here the store is left to the
 * background writer ({@code WRITE_DELAY}, 500 ms by default) and every commit of a connection that wrote waits,
 * before it returns, until a store that began after it has finished: the first waiting writer runs that store
 * for everybody who committed before it began, the others find themselves covered and return. So nothing is
 * acknowledged before it is in the file (in the operating system, as with {@code WRITE_DELAY=0}: H2 does not
 * fsync), and eight writers pay for one store instead of eight.
 *
 * <p>A store is not a snapshot of the whole database: H2 takes each map's state in turn (each table, each index,
 * each transaction's undo log) while other threads go on (h2database issue #2080). A transaction commits by
 * marking its rows committed map by map, so a store that ran meanwhile could write some of its tables committed and
 * others not, and a kill before the next store left half a transaction in the file: a read model's figures without
 * the event they were computed from, an event row without its index entry. So every commit here holds H2's store
 * lock, which every store holds while it takes the maps' state: a store writes each transaction wholly or not at
 * all. A statement in auto-commit mode commits inside H2, where no lock can be put around it, so it runs in a
 * transaction of its own here, committed the same way.
 *
 * <p>What a store writes of a transaction still open is rolled back when the file is opened again, except entries
 * it took from a table after it had taken that transaction's undo log: the first connection to a file that was not
 * closed cleanly removes those before any connection is handed out ({@link H2OwnerlessEntries}; docs/reliability.md,
 * "Durability").
 *
 * <p>Writes are noticed at the JDBC level, on every connection of the pool, so that every writer (Axon's event
 * store and processors, Spring transactions, statements in auto-commit mode) is covered without knowing it.
 */
public final class H2GroupCommit {

    private static final Logger LOG = LoggerFactory.getLogger(H2GroupCommit.class);

    private static final Set<String> WRITES = Set.of("execute", "executeUpdate", "executeLargeUpdate",
                                                     "executeBatch", "executeLargeBatch");
    private static final Set<String> STATEMENTS = Set.of("createStatement", "prepareStatement", "prepareCall");

    /** MVStore's own lock that a store holds while it takes the maps' state; it has no public accessor. */
    private static final Field STORE_LOCK = storeLockField();
    private static final Map<Method, Method> ACCESSIBLE = new ConcurrentHashMap<>();

    private final ReentrantLock storing = new ReentrantLock();
    /** The last store this ran, read and replaced as one (a reopened database has a new MVStore). */
    private volatile Stored stored = new Stored(null, -1);

    /** Every change made to {@code store} while its current version was at most {@code through} is in the file. */
    private record Stored(MVStore store, long through) {
        boolean covers(MVStore current, long version) {
            return store == current && through >= version;
        }
    }

    /** Whether the file was not closed cleanly and has not been swept yet (see {@link H2OwnerlessEntries}). */
    private boolean sweep;

    private H2GroupCommit(boolean sweep) {
        this.sweep = sweep;
    }

    /**
     * H2's own data source for a {@code jdbc:h2:file:} URL, whose connections make their commits durable before
     * they return: what the ledger's pool uses, and what anything else that writes to its file must use.
     */
    public static DataSource dataSource(String url, String user, String password) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser(user == null ? "" : user);
        h2.setPassword(password == null ? "" : password);
        H2GroupCommit commits = new H2GroupCommit(H2OwnerlessEntries.leftByAnUncleanStop(url));
        return new DelegatingDataSource(h2) {
            @Override
            public Connection getConnection() throws SQLException {
                return commits.durable(super.getConnection());
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return commits.durable(super.getConnection(username, password));
            }
        };
    }

    /** Waits until the changes committed so far on this database are in its file. */
    void awaitStored(MVStore current) throws SQLException {
        long committedIn = current.getCurrentVersion();
        if (stored.covers(current, committedIn)) {
            return;
        }
        storing.lock();
        try {
            if (stored.covers(current, committedIn)) {
                return;
            }
            long through = current.getCurrentVersion();
            if (current.commit() < 0) {
                // Nothing left unsaved: the background writer has taken it, and may still be writing it. The
                // version stays open, so what commits next in it is not covered: only the versions before are.
                current.executeFilestoreOperation(() -> { });
                through--;
            }
            stored = new Stored(current, through);
        } catch (RuntimeException e) {
            throw new SQLException("The database file could not be written: the commit is not durable", e);
        } finally {
            storing.unlock();
        }
    }

    private static Field storeLockField() {
        try {
            Field field = MVStore.class.getDeclaredField("storeLock");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    private static ReentrantLock storeLock(MVStore store) throws SQLException {
        try {
            if (STORE_LOCK != null && STORE_LOCK.get(store) instanceof ReentrantLock lock) {
                return lock;
            }
        } catch (IllegalAccessException e) {
            // Reported below.
        }
        throw new SQLException("This H2 version's MVStore has no store lock to commit under; commits could not be "
                                       + "kept whole in the file (H2GroupCommit is written for H2 2.3)");
    }

    Connection durable(Connection connection) throws SQLException {
        // Refuses at once an H2 whose store, or whose store lock, cannot be reached.
        MVStore store = mvStore(connection);
        synchronized (this) {
            // Before this or any other connection is handed out: the first one after an unclean stop.
            if (sweep) {
                int removed;
                try {
                    removed = H2OwnerlessEntries.remove(((SessionLocal) ((JdbcConnection) connection).getSession())
                                                                .getDatabase());
                } catch (RuntimeException e) {
                    connection.close();
                    throw new SQLException("The database file was not closed cleanly, and the entries that "
                                                   + "transactions open at that moment left in it could not be "
                                                   + "removed", e);
                }
                if (removed > 0) {
                    LOG.warn("{} entries of transactions still open when the database was last stopped uncleanly "
                                     + "(never committed) were removed from the database file", removed);
                }
                sweep = false;
            }
        }
        return (Connection) Proxy.newProxyInstance(H2GroupCommit.class.getClassLoader(),
                                                   new Class<?>[] {Connection.class},
                                                   new TrackedConnection(connection, store, storeLock(store)));
    }

    private static MVStore mvStore(Connection connection) throws SQLException {
        if (connection instanceof JdbcConnection h2 && h2.getSession() instanceof SessionLocal session
                && session.getDatabase().getStore() != null) {
            return session.getDatabase().getStore().getMvStore();
        }
        throw new SQLException("Not an embedded H2 database with a file store: " + connection.getClass().getName()
                                       + "; commits could not be made durable");
    }

    /** Something that commits, throwing what the connection throws. */
    private interface Commit {
        Object run() throws Throwable;
    }

    /**
     * A connection that remembers whether it wrote since its last commit, commits under the store lock and waits
     * for the store at commit. A connection's database, and so its store, is the same for its whole life.
     */
    private final class TrackedConnection implements InvocationHandler {

        private final Connection target;
        private final MVStore store;
        private final ReentrantLock storeLock;
        private boolean wrote;

        TrackedConnection(Connection target, MVStore store, ReentrantLock storeLock) {
            this.target = target;
            this.store = store;
            this.storeLock = storeLock;
        }

        /** Commits while no store of the file can be taking the maps' state (see the class comment). */
        private Object whole(Commit commit) throws Throwable {
            storeLock.lock();
            try {
                return commit.run();
            } finally {
                storeLock.unlock();
            }
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (isIdentity(method)) {
                return identity(proxy, method, args);
            }
            boolean committing = name.equals("commit")
                    || (name.equals("setAutoCommit") && Boolean.TRUE.equals(args[0]) && !target.getAutoCommit());
            Object result = committing && wrote ? whole(() -> call(target, method, args)) : call(target, method, args);
            if (committing) {
                if (wrote) {
                    wrote = false;
                    awaitStored(store);
                }
            } else if (name.equals("rollback") && (args == null || args.length == 0)) {
                wrote = false;
            } else if (STATEMENTS.contains(name)) {
                return statement(proxy, (Statement) result, method.getReturnType());
            }
            return result;
        }

        private Object statement(Object connection, Statement statement, Class<?> type) {
            Class<?> kind = CallableStatement.class.isAssignableFrom(type) ? CallableStatement.class
                    : PreparedStatement.class.isAssignableFrom(type) ? PreparedStatement.class : Statement.class;
            return Proxy.newProxyInstance(H2GroupCommit.class.getClassLoader(), new Class<?>[] {kind},
                                          (proxy, method, args) -> {
                String name = method.getName();
                if (isIdentity(method)) {
                    return identity(proxy, method, args);
                }
                if (name.equals("getConnection")) {
                    return connection;
                }
                if (!WRITES.contains(name)) {
                    return call(statement, method, args);
                }
                if (!target.getAutoCommit()) {
                    wrote = true;
                    return call(statement, method, args);
                }
                // In a transaction of its own, so that its commit is whole (see the class comment).
                target.setAutoCommit(false);
                try {
                    Object result;
                    try {
                        result = call(statement, method, args);
                        whole(() -> {
                            target.commit();
                            return null;
                        });
                    } catch (Throwable failed) {
                        try {
                            target.rollback();
                        } catch (SQLException notRolledBack) {
                            failed.addSuppressed(notRolledBack);
                        }
                        throw failed;
                    }
                    awaitStored(store);
                    return result;
                } finally {
                    target.setAutoCommit(true);
                }
            });
        }
    }

    /**
     * The method, made accessible: then {@link Method#invoke} skips its access check, which finds the caller's class
     * by walking the stack on every call (about 1% of an import's CPU, every JDBC call going through here). A
     * proxy class hands its handler the same {@code Method} objects every time, its own copies of the JDBC
     * interfaces' public methods, so each is made accessible once.
     */
    private static Method accessible(Method method) {
        method.setAccessible(true);
        return method;
    }

    /** A proxy is equal only to itself (the pool keeps its connections and statements by identity). */
    private static boolean isIdentity(Method method) {
        return method.getDeclaringClass() == Object.class && !method.getName().equals("toString");
    }

    private static Object identity(Object proxy, Method method, Object[] args) {
        return method.getName().equals("equals") ? (Object) (proxy == args[0]) : System.identityHashCode(proxy);
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return ACCESSIBLE.computeIfAbsent(method, H2GroupCommit::accessible).invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
