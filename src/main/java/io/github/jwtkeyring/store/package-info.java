/**
 * The storage SPI for the key ring ({@link io.github.jwtkeyring.store.KeyRingStore}) and one sub-package per
 * technology: {@code memory}, {@code pkcs12}; {@code jdbc} and {@code pkcs11} follow.
 * <p>
 * Depends on {@code keys} only. The ring logic never knows which store it runs on.
 */
package io.github.jwtkeyring.store;
