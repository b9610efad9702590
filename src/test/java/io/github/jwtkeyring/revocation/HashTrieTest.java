package io.github.jwtkeyring.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The copy-on-write map under the revocation snapshot: a built trie never changes, whatever its builders do. */
class HashTrieTest {

    private static HashTrie<Integer> of(int count) {
        HashTrie.Builder<Integer> builder = HashTrie.<Integer> empty().toBuilder();
        for (int i = 0; i < count; i++) {
            builder.merge("key-" + i, i, Integer::max);
        }
        return builder.build();
    }

    private static Map<String, Integer> contents(HashTrie<Integer> trie) {
        Map<String, Integer> all = new HashMap<>();
        trie.forEach(all::put);
        return all;
    }

    @Test
    void holdsEveryKeyOnce_andFindsEachOne() {
        HashTrie<Integer> trie = of(50_000);

        assertThat(trie.size()).isEqualTo(50_000);
        assertThat(contents(trie)).hasSize(50_000);
        for (int i = 0; i < 50_000; i++) {
            assertThat(trie.get("key-" + i)).isEqualTo(i);
        }
        assertThat(trie.get("key-50000")).isNull();
        assertThat(trie.containsKey("key-7")).isTrue();
        assertThat(trie.containsKey("other")).isFalse();
    }

    @Test
    void changes_leaveTheTrieTheyBeganFromAsItWas() {
        HashTrie<Integer> before = of(10_000);
        Map<String, Integer> contents = contents(before);

        HashTrie<Integer> after = before.toBuilder().merge("key-1", 100, Integer::max).merge("new", -1, Integer::max)
                .removeIf(v -> v >= 5_000).build();

        assertThat(contents(before)).isEqualTo(contents);
        assertThat(before.size()).isEqualTo(10_000);
        assertThat(after.get("key-1")).as("merged").isEqualTo(100);
        assertThat(after.get("new")).isEqualTo(-1);
        assertThat(after.get("key-6000")).as("removed").isNull();
        assertThat(after.size()).as("key-0 to key-4999 and new").isEqualTo(5_001);
        assertThat(contents(after)).hasSize(after.size());
    }

    @Test
    void merge_ofAKeyItHolds_keepsWhatTheMergeFunctionChooses_andTheSize() {
        HashTrie<Integer> trie = of(3).toBuilder().merge("key-2", 1, Integer::max).build();

        assertThat(trie.get("key-2")).isEqualTo(2);
        assertThat(trie.size()).isEqualTo(3);
    }

    @Test
    void aBuilderThatChangesNothing_returnsTheSameTrie() {
        HashTrie<Integer> trie = of(100);

        assertThat(trie.toBuilder().removeIf(v -> v > 1_000).build()).isSameAs(trie);
    }

    @Test
    void aBuilderBuildsOnce() {
        HashTrie.Builder<Integer> builder = of(10).toBuilder().merge("x", 1, Integer::max);
        HashTrie<Integer> built = builder.build();

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThat(built.get("x")).isEqualTo(1);
    }
}
