package io.github.jwtkeyring.runtime.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The HTML of {@code GET /admin/keys/timeline}: the page with the picture inline, for an administrator's bearer
 * token, and the sign-in page that a browser without credentials gets with its 401.
 * <p>
 * The sign-in page's script posts the user name and password to {@code POST /auth/login} (HTTP Basic, no cookies),
 * keeps the access token in a variable of its own and nowhere else (no cookie, no Web Storage, no URL, no DOM), fetches
 * the SVG with it and shows it; signing out revokes the token with {@code POST /auth/logout}. Since the browser never
 * sends a credential by itself, no other site can make it act as the administrator (no CSRF), and nothing survives
 * the tab. The inputs have no {@code name} and the policy says {@code form-action 'none'}: without the script the
 * form cannot send the password anywhere.
 * <p>
 * The script and the style are constants, allowed by their SHA-256 hashes in {@link #CONTENT_SECURITY_POLICY}: no
 * other script or style runs, inline or fetched, and the SVG uses presentation attributes only.
 */
final class KeyTimelinePage {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;background:#fff}\
            h1{font-size:1.3rem;margin:0 0 1rem}\
            form{display:grid;grid-template-columns:max-content 16rem;gap:.5rem 1rem;align-items:center;max-width:28rem}\
            button{justify-self:start;padding:.3rem 1rem}\
            #status{min-height:1.5rem;color:#b00020}\
            #actions{margin:.5rem 0}\
            [hidden]{display:none!important}\
            svg{max-width:100%;height:auto}""";

    private static final String SCRIPT = """
            'use strict';
            (() => {
              const page = document.body.dataset;
              const form = document.getElementById('sign-in');
              const user = document.getElementById('user');
              const password = document.getElementById('password');
              const status = document.getElementById('status');
              const picture = document.getElementById('timeline');
              const actions = document.getElementById('actions');
              // The access token lives in this variable only: never in a cookie, Web Storage, the URL or the DOM.
              let token = null;
              const say = (text) => { status.textContent = text; };
              const request = (url, init) => fetch(url, Object.assign(
                  {credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer'}, init));
              const bearer = () => ({headers: {'Authorization': 'Bearer ' + token}});
              function signedOut(text) {
                token = null;
                picture.replaceChildren();
                actions.hidden = true;
                form.hidden = false;
                say(text);
              }
              async function show() {
                const response = await request(page.picture, bearer());
                if (response.status === 401) { signedOut('Your session has ended: sign in again.'); return; }
                if (response.status === 403) { await signOut('This account is not an administrator.'); return; }
                if (!response.ok) { say('The timeline could not be loaded (HTTP ' + response.status + ').'); return; }
                const svg = new DOMParser().parseFromString(await response.text(), 'image/svg+xml');
                if (svg.documentElement.nodeName !== 'svg') { say('The timeline could not be read.'); return; }
                picture.replaceChildren(document.importNode(svg.documentElement, true));
                form.hidden = true;
                actions.hidden = false;
                say('');
              }
              async function signOut(text) {
                if (token !== null) {
                  await request(page.logout, Object.assign({method: 'POST'}, bearer())).catch(() => null);
                }
                signedOut(text);
              }
              form.addEventListener('submit', async (event) => {
                event.preventDefault();
                const basic = new TextEncoder().encode(user.value + ':' + password.value);
                password.value = '';
                say('Signing in\\u2026');
                try {
                  const response = await request(page.login, {method: 'POST',
                      headers: {'Authorization': 'Basic ' + btoa(String.fromCharCode(...basic))}});
                  if (response.status === 401) { say('User name or password not accepted.'); return; }
                  if (response.status === 429) {
                    say('Too many failed sign-ins: try again in ' + response.headers.get('Retry-After') + ' s.');
                    return;
                  }
                  if (!response.ok) { say('Sign-in is not available here (HTTP ' + response.status + ').'); return; }
                  token = (await response.json()).access_token;
                  await show();
                } catch (e) {
                  say('The server could not be reached.');
                }
              });
              document.getElementById('reload').addEventListener('click',
                  () => show().catch(() => say('The server could not be reached.')));
              document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.'));
            })();
            """;

    /**
     * The policy of both pages and of the SVG: nothing loads or runs but the constant script and style, fetches go
     * to this origin only, no form submits, and no other site may frame the page (clickjacking).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src '" + sha256(SCRIPT)
            + "'; style-src '" + sha256(STYLE) + "'; img-src data:; connect-src 'self'; form-action 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'";

    private KeyTimelinePage() {
    }

    /** The page with {@code svg} inline, for a request that came with an administrator's bearer token. */
    static String withPicture(String svg) {
        return head("") + "<h1>Key timeline</h1>\n<main id=\"timeline\">\n" + svg
                + "</main>\n<p>Drawn when the page was requested: reload it to see the ring as it is now.</p>\n"
                + "</body>\n</html>\n";
    }

    /**
     * The sign-in page.
     *
     * @param login the path of {@code POST /auth/login}
     * @param logout the path of {@code POST /auth/logout}
     * @param picture the path of {@code GET /admin/keys/timeline.svg}
     */
    static String signIn(String login, String logout, String picture) {
        String paths = " data-login=\"" + attribute(login) + "\" data-logout=\"" + attribute(logout)
                + "\" data-picture=\"" + attribute(picture) + "\"";
        return head(paths) + """
                <h1>Key timeline</h1>
                <form id="sign-in">
                <label for="user">User name</label><input id="user" autocomplete="username" required>
                <label for="password">Password</label><input id="password" type="password" \
                autocomplete="current-password" required>
                <button type="submit">Sign in</button>
                </form>
                <p id="status" role="status" aria-live="polite"></p>
                <p id="actions" hidden><button id="reload" type="button">Reload</button> \
                <button id="sign-out" type="button">Sign out</button></p>
                <main id="timeline"></main>
                <noscript><p>This page needs JavaScript to sign in; or send an administrator's bearer token.</p></noscript>
                <script>""" + SCRIPT + "</script>\n</body>\n</html>\n";
    }

    private static String head(String bodyAttributes) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"referrer\" content=\"no-referrer\">\n"
                // an empty icon: the browser asks for no /favicon.ico, which the application may not have
                + "<link rel=\"icon\" href=\"data:,\">\n"
                + "<title>Key timeline</title>\n<style>" + STYLE + "</style>\n</head>\n<body" + bodyAttributes + ">\n";
    }

    /** A path as an HTML attribute value: it comes from the request's base URI, so it is escaped all the same. */
    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256.", e);
        }
    }
}
