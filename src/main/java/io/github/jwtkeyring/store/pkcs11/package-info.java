/**
 * Key custody on a PKCS#11 token or HSM through the JDK's SunPKCS11 provider
 * ({@link io.github.jwtkeyring.store.pkcs11.Pkcs11KeyCustody}): keys are generated on the token as sensitive,
 * non-extractable objects labelled with their kid, sign there, and are destroyed there. The token holds no metadata;
 * the ring's timeline stays in the chosen storage ({@code pkcs12} or {@code jdbc}).
 * <p>
 * Depends on {@code keys} and the JDK only. Works on the JVM; SunPKCS11 is not available in native executables.
 */
package io.github.jwtkeyring.store.pkcs11;
