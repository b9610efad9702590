package io.github.jwtkeyring.runtime.health;

import io.github.jwtkeyring.rotation.RingOutlook;

/**
 * The warning states: rotation is at risk, but the node still signs and verifies (readiness stays UP). Each
 * {@link #label()} appears in the readiness data under {@code warnings} and as the {@code warning} tag of the gauge
 * {@code keyring_warning}; the README's "Operating it" says what to do about each.
 */
public enum Warning {
    /** {@link RingOutlook.Risk#PUBLICATION_LATE}. */
    PUBLICATION_LATE("publication-late"),
    /** {@link RingOutlook.Risk#ROTATION_OVERDUE}. */
    ROTATION_OVERDUE("rotation-overdue"),
    /** {@link RingOutlook.Risk#DESTRUCTION_OVERDUE}. */
    DESTRUCTION_OVERDUE("destruction-overdue"),
    /** The shared database cannot be reached: no rotation or revocation reaches this node; it verifies and issues. */
    DATABASE_UNREACHABLE("database-unreachable"),
    /** The PKCS#11 token cannot be used: no token is issued; public keys held in memory go on verifying. */
    CUSTODY_UNREACHABLE("custody-unreachable"),
    /** Key material remains under an earlier key-encryption key that this node cannot unwrap. */
    KEK_REWRAP_STUCK("kek-rewrap-stuck");

    private final String label;

    Warning(String label) {
        this.label = label;
    }

    /** The name in health data, metrics and the README. */
    public String label() {
        return label;
    }

    static Warning of(RingOutlook.Risk risk) {
        return switch (risk) {
            case PUBLICATION_LATE -> PUBLICATION_LATE;
            case ROTATION_OVERDUE -> ROTATION_OVERDUE;
            case DESTRUCTION_OVERDUE -> DESTRUCTION_OVERDUE;
        };
    }
}
