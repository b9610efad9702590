/**
 * Where everything lives between restarts: the {@link io.github.jwtkeyring.store.Storage} SPI of a storage technology
 * (the key ring store, the token ledger's journal and, for shared storage, the
 * {@link io.github.jwtkeyring.store.ChangeFeed}), the {@link io.github.jwtkeyring.store.KeyRingStore} SPI, and one
 * sub-package per technology: {@code memory}, {@code pkcs12}, {@code jdbc}; and {@code pkcs11}, a
 * {@link io.github.jwtkeyring.keys.KeyCustody} that holds the secret parts of keys on a token while the chosen store
 * keeps their metadata and public keys.
 * <p>
 * Depends on {@code revocation} (the journal SPI it implements) and {@code keys}; each technology sub-package also on
 * its own technology (the JDK's PKCS#12, PostgreSQL's JDBC driver). No Quarkus. The ring logic never knows which
 * storage it runs on.
 */
package io.github.jwtkeyring.store;
