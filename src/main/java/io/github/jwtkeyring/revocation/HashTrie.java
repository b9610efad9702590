package io.github.jwtkeyring.revocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;

/**
 * An immutable map from strings, built so that a change copies a few small arrays and shares everything else with the
 * map it began from. The keys are spread by a mixed hash over 262,144 leaves under a fixed three-level index of 64
 * slots per level; a leaf is a small array of the keys' hashes, keys and values ({@code [hashes, k0, v0, k1, v1, …]})
 * that holds about n / 262,144 entries (four for a million). A lookup is three array reads and a scan of one leaf's
 * hashes, comparing a key only where its hash matches, whatever the size; a
 * change copies the three 64-slot arrays above the leaves it touches and those leaves. Nothing is mutated once
 * {@link Builder#build} has returned, so a trie is read by any thread without a lock once it has been published
 * safely.
 *
 * @param <V> the type of the values, never {@code null}
 */
final class HashTrie<V> {

    private static final int WIDTH = 64;
    private static final int MASK = WIDTH - 1;
    private static final int LEAF_BITS = 18;

    /** Shared by every empty leaf and branch; never mutated (builders copy before they change anything). */
    private static final Object[] EMPTY_LEAF = { new int[0] };
    private static final Object[] EMPTY_BOTTOM = filled(EMPTY_LEAF);
    private static final Object[] EMPTY_MIDDLE = filled(EMPTY_BOTTOM);
    private static final HashTrie<Object> EMPTY = new HashTrie<>(filled(EMPTY_MIDDLE), 0);

    /** 64 middle arrays of 64 bottom arrays of 64 leaves. */
    private final Object[] top;
    private final int size;

    private HashTrie(Object[] top, int size) {
        this.top = top;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> HashTrie<V> empty() {
        return (HashTrie<V>) EMPTY;
    }

    /** The value of {@code key}, or {@code null}. */
    @SuppressWarnings("unchecked")
    V get(String key) {
        int hash = key.hashCode();
        Object[] leaf = leaf(top, indexOf(hash));
        int[] hashes = (int[]) leaf[0];
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == hash && key.equals(leaf[1 + 2 * i])) {
                return (V) leaf[2 + 2 * i];
            }
        }
        return null;
    }

    boolean containsKey(String key) {
        return get(key) != null;
    }

    int size() {
        return size;
    }

    /** Calls {@code action} with every entry, in no particular order. */
    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<String, V> action) {
        for (Object middle : top) {
            if (middle == EMPTY_MIDDLE) {
                continue;
            }
            for (Object bottom : (Object[]) middle) {
                if (bottom == EMPTY_BOTTOM) {
                    continue;
                }
                for (Object leaf : (Object[]) bottom) {
                    Object[] entries = (Object[]) leaf;
                    for (int i = 1; i < entries.length; i += 2) {
                        action.accept((String) entries[i], (V) entries[i + 1]);
                    }
                }
            }
        }
    }

    /** A builder of a changed copy of this trie; this trie stays as it is. */
    Builder<V> toBuilder() {
        return new Builder<>(this);
    }

    /** Collects changes to the leaves they touch and builds the new trie, copying each array on the way once. */
    static final class Builder<V> {

        private final HashTrie<V> from;
        /** The leaves changed so far, by index, as lists of keys and values. */
        private final Map<Integer, List<Object>> changed = new HashMap<>();
        private int size;
        private boolean built;

        private Builder(HashTrie<V> from) {
            this.from = from;
            this.size = from.size;
        }

        /** Puts {@code value}, or {@code merge(old, value)} if {@code key} has a value already. */
        @SuppressWarnings("unchecked")
        Builder<V> merge(String key, V value, BinaryOperator<V> merge) {
            List<Object> leaf = writable(indexOf(key.hashCode()));
            for (int i = 0; i < leaf.size(); i += 2) {
                if (key.equals(leaf.get(i))) {
                    leaf.set(i + 1, merge.apply((V) leaf.get(i + 1), value));
                    return this;
                }
            }
            leaf.add(key);
            leaf.add(value);
            size++;
            return this;
        }

        /** Removes every entry whose value matches {@code expired}, copying only the leaves that lose one. */
        @SuppressWarnings("unchecked")
        Builder<V> removeIf(Predicate<V> expired) {
            for (List<Object> edited : changed.values()) {
                size -= removeFrom(edited, expired);
            }
            for (int m = 0; m < WIDTH; m++) {
                Object[] middle = (Object[]) from.top[m];
                for (int b = 0; middle != EMPTY_MIDDLE && b < WIDTH; b++) {
                    Object[] bottom = (Object[]) middle[b];
                    for (int l = 0; bottom != EMPTY_BOTTOM && l < WIDTH; l++) {
                        int index = (m << 12) | (b << 6) | l;
                        Object[] leaf = (Object[]) bottom[l];
                        for (int i = 2; i < leaf.length && !changed.containsKey(index); i += 2) {
                            if (expired.test((V) leaf[i])) {
                                size -= removeFrom(writable(index), expired);
                            }
                        }
                    }
                }
            }
            return this;
        }

        @SuppressWarnings("unchecked")
        private int removeFrom(List<Object> leaf, Predicate<V> expired) {
            int removed = 0;
            for (int i = leaf.size() - 2; i >= 0; i -= 2) {
                if (expired.test((V) leaf.get(i + 1))) {
                    leaf.subList(i, i + 2).clear();
                    removed++;
                }
            }
            return removed;
        }

        /** The new trie, or the one this builder began from if nothing changed. A builder builds once. */
        HashTrie<V> build() {
            if (built) {
                throw new IllegalStateException("This builder has built its trie already.");
            }
            built = true;
            if (changed.isEmpty()) {
                return from;
            }
            Object[] top = from.top.clone();
            boolean[] middleCopied = new boolean[WIDTH];
            boolean[] bottomCopied = new boolean[WIDTH * WIDTH];
            changed.forEach((index, leaf) -> {
                int m = index >>> 12;
                int b = (index >>> 6) & MASK;
                if (!middleCopied[m]) {
                    top[m] = ((Object[]) top[m]).clone();
                    middleCopied[m] = true;
                }
                Object[] middle = (Object[]) top[m];
                if (!bottomCopied[m * WIDTH + b]) {
                    middle[b] = ((Object[]) middle[b]).clone();
                    bottomCopied[m * WIDTH + b] = true;
                }
                ((Object[]) middle[b])[index & MASK] = leaf.isEmpty() ? EMPTY_LEAF : leafOf(leaf);
            });
            return new HashTrie<>(top, size);
        }

        /** The keys and values of leaf {@code index} as this builder changes them, without the hashes. */
        private List<Object> writable(int index) {
            return changed.computeIfAbsent(index, i -> {
                Object[] leaf = leaf(from.top, i);
                return new ArrayList<>(Arrays.asList(leaf).subList(1, leaf.length));
            });
        }

        private static Object[] leafOf(List<Object> entries) {
            Object[] leaf = new Object[1 + entries.size()];
            int[] hashes = new int[entries.size() / 2];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = entries.get(2 * i).hashCode();
                leaf[1 + 2 * i] = entries.get(2 * i);
                leaf[2 + 2 * i] = entries.get(2 * i + 1);
            }
            leaf[0] = hashes;
            return leaf;
        }
    }

    /** The leaf of a key of hash {@code hash}, 0 to 262,143: its top 18 bits once mixed, so that similar keys spread. */
    private static int indexOf(int hash) {
        int h = (hash ^ (hash >>> 16)) * 0x9E3779B9;
        return h >>> (Integer.SIZE - LEAF_BITS);
    }

    private static Object[] leaf(Object[] top, int index) {
        Object[] middle = (Object[]) top[index >>> 12];
        Object[] bottom = (Object[]) middle[(index >>> 6) & MASK];
        return (Object[]) bottom[index & MASK];
    }

    private static Object[] filled(Object value) {
        Object[] array = new Object[WIDTH];
        Arrays.fill(array, value);
        return array;
    }
}
