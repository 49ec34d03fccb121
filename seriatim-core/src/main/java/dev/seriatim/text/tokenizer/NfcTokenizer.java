package dev.seriatim.text.tokenizer;

import java.text.Normalizer;

/**
 * A tokenizer whose input is first put in Unicode NFC, as the {@code NFC} normalizer of a
 * {@code tokenizer.json} asks (Qwen2/Qwen3). The whole text is normalized before special tokens
 * are split out; HF normalizes only the stretches between added tokens, which differs only when
 * a combining mark directly follows an added token's last character.
 */
public final class NfcTokenizer implements Tokenizer {

    private final Tokenizer inner;

    public NfcTokenizer(Tokenizer inner) {
        this.inner = inner;
    }

    private static String nfc(String text) {
        return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    @Override
    public int[] encode(String text) {
        return inner.encode(nfc(text));
    }

    @Override
    public int[] encodeWithSpecials(String text) {
        return inner.encodeWithSpecials(nfc(text));
    }

    @Override
    public byte[] tokenBytes(int id) {
        return inner.tokenBytes(id);
    }

    @Override
    public String decode(int[] ids) {
        return inner.decode(ids);
    }

    @Override
    public TokenizerSpec spec() {
        return inner.spec();
    }
}
