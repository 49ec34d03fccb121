package dev.seriatim.decode;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The stages of the processor chain, by the names {@code --samplers} accepts, and the two
 * standard orders.
 */
public enum SamplerStage {
    LOGIT_BIAS("logit_bias"),
    PENALTIES("penalties"),
    TOP_K("top_k"),
    TYPICAL_P("typical_p", "typ_p", "typical"),
    TOP_P("top_p"),
    MIN_P("min_p"),
    TEMPERATURE("temperature", "temp");

    /**
     * llama.cpp's default order: logit bias, penalties, top-k, typical, top-p, min-p, and the
     * temperature last (so the filters see the model's own distribution).
     */
    public static final List<SamplerStage> LLAMA_CPP_ORDER =
            List.of(LOGIT_BIAS, PENALTIES, TOP_K, TYPICAL_P, TOP_P, MIN_P, TEMPERATURE);

    /**
     * Hugging Face {@code generate()}'s order: logit processors (bias, penalties) first, then
     * the warpers temperature, top-k, top-p, min-p, typical (so the filters see the tempered
     * distribution).
     */
    public static final List<SamplerStage> HUGGING_FACE_ORDER =
            List.of(LOGIT_BIAS, PENALTIES, TEMPERATURE, TOP_K, TOP_P, MIN_P, TYPICAL_P);

    private final String name;
    private final List<String> aliases;

    SamplerStage(String name, String... aliases) {
        this.name = name;
        this.aliases = List.of(aliases);
    }

    /** The name used in {@code --samplers}. */
    public String stageName() {
        return name;
    }

    /**
     * Parses an order: a preset ({@code llama.cpp} or {@code hf}), stage names separated by
     * commas or semicolons, each at most once, or llama.cpp's letters ({@code kypmt}: top-k,
     * typical, top-p, min-p, temperature). Stages left out are not applied, except logit
     * bias and penalties: as in llama.cpp they always run, first, unless listed elsewhere.
     */
    public static List<SamplerStage> parseOrder(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "llama.cpp", "llama", "llamacpp" -> {
                return LLAMA_CPP_ORDER;
            }
            case "hf", "huggingface", "hugging_face", "transformers" -> {
                return HUGGING_FACE_ORDER;
            }
            default -> {
            }
        }
        if (t.length() > 1 && t.chars().allMatch(c -> "kypmt".indexOf(c) >= 0)) {
            t = letters(t);
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("sampler order is empty (use llama.cpp, hf, or names like top_k,top_p,temperature)");
        }
        List<SamplerStage> listed = new ArrayList<>();
        Set<SamplerStage> seen = EnumSet.noneOf(SamplerStage.class);
        for (String part : t.split("[,;]", -1)) {
            SamplerStage s = byName(part.strip());
            if (!seen.add(s)) {
                throw new IllegalArgumentException("sampler '" + s.name + "' is listed twice in the order '" + text.strip() + "'");
            }
            listed.add(s);
        }
        List<SamplerStage> order = new ArrayList<>();
        for (SamplerStage always : List.of(LOGIT_BIAS, PENALTIES)) {
            if (!seen.contains(always)) {
                order.add(always);
            }
        }
        order.addAll(listed);
        return List.copyOf(order);
    }

    /** llama.cpp's one-letter form ({@code --sampling-seq kypmt}) spelled out as names. */
    private static String letters(String seq) {
        StringBuilder names = new StringBuilder();
        for (char c : seq.toCharArray()) {
            names.append(names.isEmpty() ? "" : ",").append(switch (c) {
                case 'k' -> TOP_K.name;
                case 'y' -> TYPICAL_P.name;
                case 'p' -> TOP_P.name;
                case 'm' -> MIN_P.name;
                default -> TEMPERATURE.name;
            });
        }
        return names.toString();
    }

    /** The stage called {@code name} (or one of its aliases). */
    public static SamplerStage byName(String name) {
        for (SamplerStage s : values()) {
            if (s.name.equals(name) || s.aliases.contains(name)) {
                return s;
            }
        }
        List<String> known = new ArrayList<>();
        for (SamplerStage s : values()) {
            known.add(s.name);
        }
        throw new IllegalArgumentException("unknown sampler '" + name + "' (known: " + String.join(", ", known)
                + ", or the presets llama.cpp and hf)");
    }
}
