package dev.seriatim.app;

/** Parses token ids given on the command line as "1,2,3". */
final class TokenList {

    private TokenList() {
    }

    static int[] parse(String text, int vocabSize, String option) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        String[] parts = trimmed.split("\\s*,\\s*", -1);
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long v;
            try {
                v = Long.parseLong(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new InputException(option + ": '" + parts[i] + "' is not a token id (expected comma-separated integers)");
            }
            if (v < 0 || v >= vocabSize) {
                throw new InputException(option + ": token id " + v + " is outside the vocabulary [0, " + vocabSize + ")");
            }
            ids[i] = (int) v;
        }
        return ids;
    }
}
