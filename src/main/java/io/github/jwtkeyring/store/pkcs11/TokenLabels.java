package io.github.jwtkeyring.store.pkcs11;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.jwtkeyring.keys.KeyringException;

/**
 * Finds a token's slot by its label (CK_TOKEN_INFO.label, RFC 7512's {@code token} attribute). The JDK offers no public
 * way to read token labels, so this asks SunPKCS11's PKCS#11 wrapper, which the JVM exports to applications only with
 * {@value #EXPORT_OPTION}; without it the lookup says so and suggests the slot id.
 */
final class TokenLabels {

    /** The JVM option that exports SunPKCS11's wrapper to the application. */
    static final String EXPORT_OPTION = "--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";
    private static final String WRAPPER = "sun.security.pkcs11.wrapper";
    /** PKCS#11 §5.4: the library may use the native operating system's locking. */
    private static final long CKF_OS_LOCKING_OK = 0x2;

    private TokenLabels() {
    }

    /**
     * The id of the one slot whose token is labelled {@code label} (trailing blanks ignored, as PKCS#11 pads labels).
     *
     * @throws KeyringException if the wrapper is not exported, or no slot or more than one has that label
     */
    static long slotOf(Path library, String label) {
        Class<?> pkcs11 = wrapper("PKCS11");
        if (!pkcs11.getModule().isExported(WRAPPER, TokenLabels.class.getModule())) {
            throw new KeyringException("keyring.custody.pkcs11.token-label needs the JVM option " + EXPORT_OPTION
                    + " (the JDK offers no public way to read token labels); or set keyring.custody.pkcs11.slot to the "
                    + "token's slot id ('pkcs11-tool --module " + library + " -L' lists them).");
        }
        try {
            Class<?> initArgs = wrapper("CK_C_INITIALIZE_ARGS");
            Method getInstance = pkcs11.getMethod("getInstance", String.class, String.class, initArgs, boolean.class);
            // the same initialisation SunPKCS11 asks for (the library may use the operating system's locks), so that
            // the module this loads, which SunPKCS11 then reuses, does not serialise every call behind one Java lock
            Object args = initArgs.getConstructor().newInstance();
            initArgs.getField("flags").setLong(args, CKF_OS_LOCKING_OK);
            Object module = getInstance.invoke(null, library.toString(), "C_GetFunctionList", args, false);
            long[] slots = (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(module, true);
            List<Long> matches = new ArrayList<>();
            Method tokenInfo = pkcs11.getMethod("C_GetTokenInfo", long.class);
            for (long slot : slots) {
                Object info = tokenInfo.invoke(module, slot);
                char[] padded = (char[]) info.getClass().getField("label").get(info);
                if (new String(padded).stripTrailing().equals(label)) {
                    matches.add(slot);
                }
            }
            if (matches.size() != 1) {
                throw new KeyringException("keyring.custody.pkcs11.token-label '" + label + "' names " + matches.size()
                        + " tokens of " + library + (matches.isEmpty() ? "" : " (slots " + matches + ")")
                        + "; it must name exactly one, or set keyring.custody.pkcs11.slot.");
            }
            return matches.get(0);
        } catch (InvocationTargetException e) {
            throw new KeyringException("The tokens of " + library + " cannot be listed: " + Pkcs11Failures.explain(
                    e.getCause(), new Pkcs11Slot(library, 0L, null)), e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new KeyringException("This JDK's PKCS#11 wrapper does not offer what keyring.custody.pkcs11.token-label "
                    + "needs (" + e.getClass().getSimpleName() + "); set keyring.custody.pkcs11.slot instead.", e);
        }
    }

    private static Class<?> wrapper(String name) {
        try {
            return Class.forName(WRAPPER + "." + name);
        } catch (ClassNotFoundException e) {
            throw new KeyringException("This Java runtime has no SunPKCS11 (module jdk.crypto.cryptoki), so keys "
                    + "cannot be kept on a PKCS#11 token.", e);
        }
    }
}
