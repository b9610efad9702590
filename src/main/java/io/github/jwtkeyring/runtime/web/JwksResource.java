package io.github.jwtkeyring.runtime.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.PublicJwk;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/**
 * {@code GET /.well-known/jwks.json}: the RFC 7517 JWK Set of the public keys that verify (PENDING, ACTIVE, RETIRED).
 * HMAC secrets and private parts never appear. The document is rendered once per ring version and served with an
 * {@code ETag} and a {@code max-age} of half the publish-ahead time.
 */
@EndpointDisabled(name = "keyring.endpoints.jwks.enabled", stringValue = "false")
@Path("/.well-known/jwks.json")
@Tag(name = "JWKS", description = "The public keys that verify the key ring's tokens.")
public class JwksResource {

    private record Document(long version, String json, String etag) {
    }

    @Inject
    KeyRingManager manager;

    @Inject
    ObjectMapper mapper;

    @Inject
    InstantSource clock;

    private volatile Document cached;

    /** The JWK Set; 304 when {@code If-None-Match} names its current ETag (or {@code *}), as RFC 9110 §13.1.2 has it. */
    @GET
    // @formatter:off
    @Operation(summary = "The JWK Set (RFC 7517 §5)", description = "The public keys of the PENDING, ACTIVE and "
            + "RETIRED asymmetric keys, each with kid, alg and use=sig; HMAC secrets and private parts never appear.")
    @APIResponse(responseCode = "200", description = "The JWK Set.",
            headers = {
                    @Header(name = HttpHeaders.ETAG, description = "Changes whenever the set does.",
                            schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = HttpHeaders.CACHE_CONTROL, description = "public, max-age of half the "
                            + "publish-ahead time; no-cache for one such age after a key was revoked.",
                            schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "keys",
                            properties = @SchemaProperty(name = "keys", type = SchemaType.ARRAY,
                                    description = "JWKs (RFC 7517 §4), each with kid, alg and use."))))
    @APIResponse(responseCode = "304", description = "If-None-Match named the current ETag (RFC 9110 §13.1.2).")
    // @formatter:on
    public Response jwks(@Context HttpHeaders headers) {
        KeyRing ring = manager.current();
        Document document = document(ring);
        String cacheControl = cacheControl(ring);
        if (EntityTags.noneMatchFails(headers.getRequestHeader(HttpHeaders.IF_NONE_MATCH), document.etag())) {
            return Response.notModified().tag(document.etag().replace("\"", ""))
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
        }
        return Response.ok(document.json(), MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, document.etag())
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .build();
    }

    /**
     * {@code max-age} of half the publish-ahead time; but for one such age after a key was revoked, {@code no-cache},
     * so that caches that hold the set with the revoked key check back at once (a 304 while nothing changed).
     */
    private String cacheControl(KeyRing ring) {
        Duration maxAge = manager.policy().jwksMaxAge();
        Instant now = clock.instant();
        boolean revokedLately = ring.keys().stream().map(key -> key.metadata().revoked()).filter(Objects::nonNull)
                .anyMatch(revoked -> revoked.plus(maxAge).isAfter(now));
        return revokedLately ? "no-cache" : "public, max-age=" + maxAge.toSeconds();
    }

    private Document document(KeyRing ring) {
        Document current = cached;
        if (current == null || current.version() != ring.version()) {
            String json = render(ring);
            current = new Document(ring.version(), json, "\"" + digest(json) + "\"");
            cached = current;
        }
        return current;
    }

    private String render(KeyRing ring) {
        List<Map<String, String>> keys = new ArrayList<>();
        for (ManagedKey key : ring.keys()) {
            if (key.state().verifies() && !key.algorithm().symmetric()) {
                Map<String, String> jwk = new LinkedHashMap<>(PublicJwk.members(key.requireMaterial().publicKey()));
                jwk.put("kid", key.kid());
                jwk.put("alg", key.algorithm().joseName());
                jwk.put("use", "sig");
                keys.add(jwk);
            }
        }
        try {
            return mapper.writeValueAsString(Map.of("keys", keys));
        } catch (JsonProcessingException e) {
            throw new KeyringException("The JWK Set could not be rendered.", e);
        }
    }

    private static String digest(String json) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new KeyringException("SHA-256 is missing from this JDK.", e);
        }
    }
}
