package io.github.jwtkeyring.store.pkcs11;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import io.github.jwtkeyring.keys.KeyringException;

/**
 * Where the token is: the PKCS#11 library (an absolute path) and the slot, by its id or by its index in the library's
 * slot list ({@link #byTokenLabel} finds the id from the token's label). Ids are stable; an index is only stable while the
 * library offers one token (SoftHSM gives each new token a
 * random id and sorts by it).
 *
 * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
 * @param slotId the slot id, or {@code null} when {@code slotIndex} is given
 * @param slotIndex the index in the slot list, or {@code null} when {@code slotId} is given
 */
public record Pkcs11Slot(Path library, Long slotId, Integer slotIndex) {

    public Pkcs11Slot {
        Objects.requireNonNull(library, "library");
        if ((slotId == null) == (slotIndex == null)) {
            throw new KeyringException("A PKCS#11 slot is named by its id or by its index, exactly one of them.");
        }
        String text = library.toString();
        if (!library.isAbsolute() || text.indexOf('"') >= 0 || text.chars().anyMatch(c -> c < 0x20)) {
            throw new KeyringException("The PKCS#11 library must be an absolute path without quotes or control "
                    + "characters; it is " + text + ".");
        }
    }

    /**
     * The slot of the one token labelled {@code label}; needs the JVM option
     * {@code --add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}.
     *
     * @throws KeyringException if the option is missing, or the label names no token or several
     */
    public static Pkcs11Slot byTokenLabel(Path library, String label) {
        new Pkcs11Slot(library, 0L, null).requireLibrary(); // checks the path before the library is loaded
        return new Pkcs11Slot(library, TokenLabels.slotOf(library, label), null);
    }

    /**
     * @throws KeyringException naming the setting and the package if the library file does not exist
     */
    void requireLibrary() {
        if (!Files.isRegularFile(library)) {
            throw new KeyringException("The PKCS#11 token cannot be used: " + Pkcs11Failures.libraryMissing(library));
        }
    }

    /** The same slot reached through another copy of the library. */
    Pkcs11Slot withLibrary(Path copy) {
        return new Pkcs11Slot(copy, slotId, slotIndex);
    }

    /** The SunPKCS11 configuration lines naming the library and the slot. */
    String providerLines() {
        return "library = \"" + library + "\"\n"
                + (slotId != null ? "slot = " + slotId : "slotListIndex = " + slotIndex) + "\n";
    }

    @Override
    public String toString() {
        return library + (slotId != null ? " slot " + slotId : " slot index " + slotIndex);
    }
}
