/**
 * Canonical JSON, the byte form of everything Moat signs, hashes, audits or hands to a tool
 * (spec/PROTOCOL.md section 4). Public so that every adapter, inside Moat or written by an
 * application, builds a {@code ToolCall}'s argument bytes the same way.
 */
package dev.moat.json;
