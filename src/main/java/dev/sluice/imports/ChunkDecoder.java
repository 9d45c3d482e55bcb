package dev.sluice.imports;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes of whole records → text. UTF-8 by default (the framer already dropped a BOM); on the first
 * invalid UTF-8 it switches to Windows-1252, the usual charset of spreadsheet exports, and says so.
 * An explicitly chosen charset is used as given, with U+FFFD for undecodable bytes.
 */
public final class ChunkDecoder {
    public static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private Charset charset;
    private final boolean mayFallBack;
    private String fallbackNote;

    public ChunkDecoder(Charset charset, boolean explicit) {
        this.charset = charset;
        this.mayFallBack = !explicit && charset.equals(StandardCharsets.UTF_8);
    }

    public String decode(byte[] data, long firstLine) {
        try {
            return decoder(mayFallBack && fallbackNote == null ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            charset = WINDOWS_1252;
            fallbackNote = "Invalid UTF-8 near line " + firstLine + ": read as Windows-1252 from there on";
            return new String(data, WINDOWS_1252);
        }
    }

    private CharsetDecoder decoder(CodingErrorAction onError) {
        return charset.newDecoder().onMalformedInput(onError).onUnmappableCharacter(onError);
    }

    /** The charset in use now (after any fallback). */
    public Charset charset() {
        return charset;
    }

    /** Set once a fallback happened. */
    public String fallbackNote() {
        return fallbackNote;
    }
}
