package io.github.jwtkeyring.runtime.web;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code If-None-Match} as RFC 9110 §13.1.2 defines it: {@code *}, or a comma-separated list of entity tags (over one
 * or several header lines), compared weakly, so that {@code W/"x"} matches {@code "x"}.
 */
final class EntityTags {

    private EntityTags() {
    }

    /**
     * Whether the condition fails for a representation with the strong tag {@code current}, so that a GET answers
     * 304 Not Modified.
     *
     * @param headerValues the {@code If-None-Match} header lines, or {@code null} without one
     */
    static boolean noneMatchFails(List<String> headerValues, String current) {
        if (headerValues == null) {
            return false;
        }
        for (String line : headerValues) {
            for (String member : members(line)) {
                if (member.equals("*") || opaque(member).equals(current)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The list members of one header line; commas inside quoted tags do not split. */
    private static List<String> members(String line) {
        List<String> members = new ArrayList<>();
        StringBuilder member = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                members.add(member.toString().trim());
                member.setLength(0);
            } else {
                member.append(c);
            }
        }
        members.add(member.toString().trim());
        return members;
    }

    /** The quoted opaque tag of a weak or strong entity tag. */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
