package dev.verdict.servicekit;

import java.util.List;

/** A list response: {@code { "items": [...], "nextCursor": "..." }}, nextCursor null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
