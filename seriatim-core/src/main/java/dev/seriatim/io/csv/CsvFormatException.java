package dev.seriatim.io.csv;

/** A CSV file that cannot be read as asked; the message names the file, and the row and column when known. */
public final class CsvFormatException extends IllegalArgumentException {

    public CsvFormatException(String message) {
        super(message);
    }
}
