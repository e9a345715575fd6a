package org.ringchat.shell.internal;

import java.io.IOError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.utils.Signals;
import org.ringchat.api.GroupChat;

/**
 * ringchat's shell in a terminal, with JLine: line editing, history in a file, completion of the command
 * names, and what arrives printed above the prompt. Each line goes to a {@link LineRunner} as typed (no
 * history expansion of {@code !}, no continuation on an open quote); what is typed or pasted past
 * {@link BoundedLines#MAX_LINE_BYTES} characters is dropped, and the line refused. Ctrl-C interrupts the running
 * command, or clears the line being typed; Ctrl-D or {@code exit} ends the shell.
 * <p>
 * On a dumb terminal (no raw mode) the kernel reads the lines, and cuts them at
 * {@value #CANONICAL_LINE_BYTES} bytes without a word: a line that long may have been cut, and is refused.
 */
final class TerminalConsole implements AutoCloseable {

    /** Makes the session of this console, printing to its terminal. */
    @FunctionalInterface
    interface Sessions {
        ShellSession open(PrintStream out, PrintStream err, LineReader reader);
    }

    /** The longest line the kernel's line discipline passes on in canonical mode; longer ones lose their end. */
    static final int CANONICAL_LINE_BYTES = 4095;

    /** What a terminal in bracketed paste mode sends after a paste. */
    private static final String PASTE_END = "\u001b[201~";

    private final Terminal terminal;
    /** Whether the kernel, not JLine, reads the lines: the terminal stays in canonical mode. */
    private final boolean canonical;
    private final LineReader reader;
    private volatile List<String> commandNames = List.of();
    /** Whether the line being typed went over {@link BoundedLines#MAX_LINE_BYTES}: the rest was dropped. */
    private boolean overflow;

    /**
     * A console on the process's terminal, by the exec provider ({@code stty}) whatever the system properties
     * say: bin/ringchat turns the providers off for Gogo's console, which would otherwise take the process's
     * one system terminal and leave this console a dumb one.
     */
    static TerminalConsole onSystemTerminal(Path historyFile) throws IOException {
        return new TerminalConsole(TerminalBuilder.builder().name("ringchat").system(true).exec(true).dumb(true)
                .nativeSignals(true).signalHandler(Terminal.SignalHandler.SIG_IGN).build(), historyFile);
    }

    TerminalConsole(Terminal terminal, Path historyFile) {
        this.terminal = terminal;
        this.canonical = terminal instanceof DumbTerminal;
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("ringchat").parser(parser)
                .completer((lineReader, line, candidates) -> {
                    if (line.wordIndex() == 0) {
                        commandNames.forEach(name -> candidates.add(new Candidate(name)));
                    }
                })
                .variable(LineReader.HISTORY_FILE, historyFile)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .variable(LineReader.BLINK_MATCHING_PAREN, 0) // its pause garbles the echo of a fast typist's line
                .build();
        Widget selfInsert = reader.getWidgets().get(LineReader.SELF_INSERT);
        reader.getWidgets().put(LineReader.SELF_INSERT, () -> insertTyped(selfInsert));
        reader.getWidgets().put(LineReader.BEGIN_PASTE, this::insertPasted);
    }

    /**
     * Types a character, then the text already waiting behind it (a paste in a terminal without bracketed
     * paste comes as fast typing), up to the first control key: the line is then redrawn once for the
     * whole paste, not once a character, which would take minutes on a long line.
     */
    private boolean insertTyped(Widget selfInsert) {
        if (reader.getBuffer().length() < BoundedLines.MAX_LINE_BYTES) {
            selfInsert.apply();
        } else {
            overflow = true;
        }
        int c;
        while ((c = readWithin(1)) >= 0) {
            if (Character.isISOControl(c)) {
                reader.runMacro(Character.toString(c)); // Enter, Ctrl-C, an escape sequence: for the key bindings
                break;
            }
            insert((char) c);
        }
        return true;
    }

    /** Takes a bracketed paste (the terminal marks its end) into the line, dropping what goes past the limit. */
    private boolean insertPasted() {
        int matched = 0;
        int c;
        while (matched < PASTE_END.length() && (c = readWithin(0)) >= 0) {
            if (c == PASTE_END.charAt(matched)) {
                matched++;
                continue;
            }
            PASTE_END.substring(0, matched).chars().forEach(m -> insert((char) m));
            matched = 0;
            if (c == PASTE_END.charAt(0)) {
                matched = 1;
            } else {
                insert(c == '\r' ? '\n' : (char) c);
            }
        }
        return true;
    }

    /** The next key within {@code millis} (0: as long as it takes), or a negative number if none came. */
    private int readWithin(long millis) {
        try {
            return terminal.reader().read(millis);
        } catch (IOException e) {
            throw new IOError(e); // as JLine's own widgets do: the terminal is gone
        }
    }

    /**
     * Adds a character to the line, or drops it past {@link BoundedLines#MAX_LINE_BYTES} characters (a
     * character has one byte at least) and marks the line to be refused.
     */
    private void insert(char c) {
        if (reader.getBuffer().length() < BoundedLines.MAX_LINE_BYTES) {
            reader.getBuffer().write(c);
        } else {
            overflow = true;
        }
    }

    /** Prints {@code greeting}, then reads and runs lines until Ctrl-D, {@code exit}, or {@link #close()}. */
    void run(String greeting, Sessions sessions) {
        PrintStream out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
        // raw mode from the start, not only while a line is read: keys typed while a command runs (a paste)
        // wait for the next line whole, where the kernel's canonical mode would cut them at 4095 bytes;
        // closing the terminal restores its modes
        terminal.enterRawMode();
        out.println(greeting);
        if (canonical) {
            out.println("note: this terminal gives no raw mode: lines of " + CANONICAL_LINE_BYTES
                    + " bytes or more are refused, as the system may have cut them");
        }
        try (ShellSession session = sessions.open(out, out, reader)) {
            LineRunner runner = session.runner();
            commandNames = runner.commandNames();
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt(runner));
                } catch (UserInterruptException e) {
                    overflow = false;
                    continue; // Ctrl-C while typing: a fresh line
                } catch (EndOfFileException e) {
                    return;
                }
                if (overflow) {
                    overflow = false;
                    out.println("error: the line is longer than the " + BoundedLines.MAX_LINE_BYTES + " bytes a line may"
                            + " have (a message holds at most " + GroupChat.MAX_TEXT_BYTES + " bytes in UTF-8): it was not run");
                    continue;
                }
                if (canonical && line.getBytes(StandardCharsets.UTF_8).length >= CANONICAL_LINE_BYTES) {
                    out.println("error: the line reached the " + CANONICAL_LINE_BYTES + " bytes this terminal passes on"
                            + " (it gives no raw mode) and may have been cut: it was not run; send a longer text"
                            + " from a script (bin/ringchat < FILE) or the web page");
                    continue;
                }
                LineRunner.Outcome outcome = runInterruptibly(runner, line);
                if (outcome == LineRunner.Outcome.EXIT) {
                    return;
                }
            }
        } catch (IllegalStateException | IOError e) {
            // the terminal was closed: the node is stopping, or restarting its components
        }
    }

    /**
     * Runs a line with Ctrl-C (SIGINT: JLine's raw mode keeps ISIG) interrupting it. The
     * handler is set for each command, since another console's terminal (Gogo's, which only registers
     * its commands here) may have taken SIGINT after this one was built.
     */
    private static LineRunner.Outcome runInterruptibly(LineRunner runner, String line) {
        Thread command = Thread.currentThread();
        Object previous = Signals.register("INT", command::interrupt);
        try {
            return runner.run(line);
        } finally {
            Signals.unregister("INT", previous);
            Thread.interrupted(); // a Ctrl-C that came as the command ended is for nothing
        }
    }

    private static String prompt(LineRunner runner) {
        if (runner.pending().isPresent()) {
            return "> ";
        }
        return runner.chatting().map(g -> g.name() + "> ").orElse("ringchat> ");
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
