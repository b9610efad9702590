package io.github.jwtkeyring.runtime.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyState;

/**
 * A key as {@code /admin/keys} shows it: metadata only, never material.
 *
 * @param kid the key id
 * @param algorithm the algorithm
 * @param state the state
 * @param created when the key was created
 * @param activates when it starts (or started) signing
 * @param retires when it stops (or stopped) signing
 * @param destroyAfter when its retire window ends, once RETIRED
 * @param revoked when it was revoked, if REVOKED
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyView(String kid, String algorithm, KeyState state, Instant created, Instant activates,
        Instant retires, @JsonProperty("destroy_after") Instant destroyAfter, Instant revoked) {

    static KeyView of(KeyMetadata m) {
        return new KeyView(m.kid(), m.algorithm().joseName(), m.state(), m.created(), m.activates(), m.retires(),
                m.destroyAfter(), m.revoked());
    }
}
