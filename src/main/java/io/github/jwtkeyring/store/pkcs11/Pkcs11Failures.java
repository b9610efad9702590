package io.github.jwtkeyring.store.pkcs11;

import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;

/**
 * Turns what SunPKCS11 throws into sentences that name the fix. SunPKCS11 puts the PKCS#11 return value
 * ({@code CKR_...}) in the message of an exception somewhere in the cause chain; its class is not exported, so the
 * name is read from the message.
 */
final class Pkcs11Failures {

    private Pkcs11Failures() {
    }

    /** The fix for {@code failure}, as a sentence; {@code slot} names the token. */
    static String explain(Throwable failure, Pkcs11Slot slot) {
        String code = returnValue(failure);
        if (code != null) {
            return switch (code) {
                case "CKR_PIN_INCORRECT" -> "the PIN is wrong (keyring.custody.pkcs11.pin). It was tried once: an HSM "
                        + "locks the PIN after a few wrong attempts, so it is never retried.";
                case "CKR_PIN_LOCKED", "CKR_PIN_EXPIRED" -> "the user PIN of the token is locked or expired ("
                        + code + "); the token's security officer must reset it.";
                case "CKR_SLOT_ID_INVALID", "CKR_TOKEN_NOT_RECOGNIZED", "CKR_TOKEN_NOT_PRESENT" -> "there is no "
                        + "initialised token at " + slot + " (" + code + "). List the slots with "
                        + "'softhsm2-util --show-slots' or 'pkcs11-tool --module <library> -L' and set "
                        + "keyring.custody.pkcs11.slot.";
                case "CKR_GENERAL_ERROR" -> "the PKCS#11 library could not initialise (CKR_GENERAL_ERROR). For "
                        + "SoftHSM2: the environment variable SOFTHSM2_CONF must name a readable softhsm2.conf whose "
                        + "directories.tokendir exists.";
                case "CKR_DEVICE_MEMORY", "CKR_FUNCTION_FAILED" -> "the token refused (" + code + "); it may be "
                        + "full: free space on it (destroy unused objects) or check the device.";
                case "CKR_OBJECT_HANDLE_INVALID", "CKR_SESSION_HANDLE_INVALID", "CKR_SESSION_CLOSED",
                        "CKR_DEVICE_REMOVED", "CKR_DEVICE_ERROR" ->
                    "the token cannot be reached or its session broke ("
                            + code + "); the module reconnects by itself.";
                case "CKR_USER_NOT_LOGGED_IN" -> "the session is no longer logged in (" + code + "); another program "
                        + "may have logged out of the token.";
                default -> "the token answered " + code + ".";
            };
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("does not exist")) {
                return libraryMissing(slot.library());
            }
            if (message.contains("slotListIndex")) {
                return "there is no slot at that index (" + message + "); set keyring.custody.pkcs11.slot-index or "
                        + "keyring.custody.pkcs11.slot.";
            }
            if (message.contains("C_GetFunctionList")) {
                return "the file " + slot.library() + " is not a PKCS#11 library.";
            }
            if (t instanceof NoSuchAlgorithmException) {
                return "the token does not offer the mechanism (" + message + ").";
            }
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage())
                + ".";
    }

    /** The fix for a library file that does not exist. */
    static String libraryMissing(Path library) {
        return "the PKCS#11 library " + library + " does not exist (keyring.custody.pkcs11.library); for SoftHSM2 "
                + "install the Debian package softhsm2 (/usr/lib/softhsm/libsofthsm2.so).";
    }

    /** The {@code CKR_*} name in the cause chain, or {@code null}. */
    static String returnValue(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null) {
                int at = message.indexOf("CKR_");
                if (at >= 0) {
                    int end = at;
                    while (end < message.length()
                            && (Character.isLetterOrDigit(message.charAt(end)) || message.charAt(end) == '_')) {
                        end++;
                    }
                    return message.substring(at, end);
                }
            }
        }
        return null;
    }
}
