package io.github.jwtkeyring.revocation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.RefreshTokenRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.SubjectRevoked;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;

/**
 * The binary form of ledger events: one tag byte per event, strings as modified UTF-8, instants as seconds and nanos.
 * Plain {@link DataOutputStream}, so it needs neither reflection nor a serialization library.
 */
public final class LedgerCodec {

    private static final byte TOKEN_REVOKED = 1;
    private static final byte SUBJECT_REVOKED = 2;
    private static final byte FAMILY_RECORDED = 3;
    private static final byte REFRESH_TOKEN_RECORDED = 4;
    private static final int MAX_GROUPS = 10_000;

    private LedgerCodec() {
    }

    public static byte[] encode(List<LedgerEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(events.size());
            for (LedgerEvent event : events) {
                write(out, event);
            }
        } catch (IOException e) {
            throw new StoreException("A token ledger entry could not be encoded (" + e.getMessage()
                    + "); is a subject or group name longer than 65535 bytes?", e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, LedgerEvent event) throws IOException {
        if (event instanceof TokenRevoked e) {
            out.writeByte(TOKEN_REVOKED);
            out.writeUTF(e.jti());
            instant(out, e.keepUntil());
        } else if (event instanceof SubjectRevoked e) {
            out.writeByte(SUBJECT_REVOKED);
            out.writeUTF(e.subject());
            instant(out, e.cutoff());
            instant(out, e.keepUntil());
        } else if (event instanceof FamilyRecorded e) {
            out.writeByte(FAMILY_RECORDED);
            family(out, e.family());
        } else if (event instanceof RefreshTokenRecorded e) {
            out.writeByte(REFRESH_TOKEN_RECORDED);
            out.writeUTF(e.hash());
            out.writeUTF(e.familyId());
            out.writeInt(e.generation());
            instant(out, e.keepUntil());
        }
    }

    private static void family(DataOutputStream out, RefreshFamily f) throws IOException {
        out.writeUTF(f.id());
        out.writeUTF(f.subject());
        out.writeInt(f.groups().size());
        for (String group : f.groups()) {
            out.writeUTF(group);
        }
        instant(out, f.created());
        out.writeInt(f.generation());
        instant(out, f.expiresAt());
        out.writeBoolean(f.revoked());
        if (f.revoked()) {
            instant(out, f.revokedAt());
        }
        instant(out, f.keepUntil());
    }

    private static void instant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    /**
     * @throws IOException if the bytes are not a list of events (the caller has already checked their checksum, so
     *         this means a bug or a newer format)
     */
    public static List<LedgerEvent> decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int count = in.readInt();
        if (count < 0 || count > payload.length) {
            throw new IOException("an entry claims " + count + " events");
        }
        List<LedgerEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(read(in));
        }
        if (in.available() > 0) {
            throw new IOException(in.available() + " bytes follow the last event");
        }
        return events;
    }

    private static LedgerEvent read(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case TOKEN_REVOKED -> new TokenRevoked(in.readUTF(), instant(in));
            case SUBJECT_REVOKED -> new SubjectRevoked(in.readUTF(), instant(in), instant(in));
            case FAMILY_RECORDED -> new FamilyRecorded(family(in));
            case REFRESH_TOKEN_RECORDED -> new RefreshTokenRecorded(in.readUTF(), in.readUTF(), in.readInt(),
                    instant(in));
            default -> throw new IOException("unknown event tag " + tag);
        };
    }

    private static RefreshFamily family(DataInputStream in) throws IOException {
        String id = in.readUTF();
        String subject = in.readUTF();
        int groupCount = in.readInt();
        if (groupCount < 0 || groupCount > MAX_GROUPS) {
            throw new IOException("a family claims " + groupCount + " groups");
        }
        Set<String> groups = new HashSet<>();
        for (int i = 0; i < groupCount; i++) {
            groups.add(in.readUTF());
        }
        Instant created = instant(in);
        int generation = in.readInt();
        Instant expiresAt = instant(in);
        Instant revokedAt = in.readBoolean() ? instant(in) : null;
        Instant keepUntil = instant(in);
        return new RefreshFamily(id, subject, groups, created, generation, expiresAt, revokedAt, keepUntil);
    }

    private static Instant instant(DataInputStream in) throws IOException {
        long seconds = in.readLong();
        int nanos = in.readInt();
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (RuntimeException e) {
            throw new IOException("an instant is out of range", e);
        }
    }
}
