package org.ringchat.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.jline.reader.Buffer;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Signals;
import org.ringchat.api.GroupChat;

/**
 * ringchat's shell in a terminal, with JLine: line editing, history in a file, completion of the command
 * names, and what arrives printed above the prompt. Each line goes to a {@link LineRunner} as typed (no
 * history expansion of {@code !}, no continuation on an open quote); what is typed or pasted past
 * {@link BoundedLines#MAX_LINE_BYTES} characters is dropped, and the line refused. Ctrl-C interrupts the running
 * command, or clears the line being typed; Ctrl-D or {@code exit} ends the shell.
 */
final class TerminalConsole implements AutoCloseable {

    /** Makes the session of this console, printing to its terminal. */
    @FunctionalInterface
    interface Sessions {
        ShellSession open(PrintStream out, PrintStream err, LineReader reader);
    }

    private final Terminal terminal;
    private final LineReader reader;
    private volatile List<String> commandNames = List.of();
    /** Whether the line being typed went over {@link BoundedLines#MAX_LINE_BYTES}: the rest was dropped. */
    private boolean overflow;

    /** A console on the process's terminal. */
    static TerminalConsole onSystemTerminal(Path historyFile) throws IOException {
        return new TerminalConsole(TerminalBuilder.builder().name("ringchat").system(true).nativeSignals(true)
                .signalHandler(Terminal.SignalHandler.SIG_IGN).build(), historyFile);
    }

    TerminalConsole(Terminal terminal, Path historyFile) {
        this.terminal = terminal;
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
        bounded(LineReader.SELF_INSERT);
        bounded(LineReader.BEGIN_PASTE);
    }

    /**
     * Makes the widget {@code name} (typing a character, pasting) drop the line's end past
     * {@link BoundedLines#MAX_LINE_BYTES} characters (a character has one byte at least), and say so.
     */
    private void bounded(String name) {
        Widget widget = reader.getWidgets().get(name);
        reader.getWidgets().put(name, () -> {
            if (reader.getBuffer().length() >= BoundedLines.MAX_LINE_BYTES) {
                overflow = true;
                return true;
            }
            boolean done = widget.apply();
            Buffer buffer = reader.getBuffer();
            if (buffer.length() > BoundedLines.MAX_LINE_BYTES) {
                overflow = true;
                buffer.cursor(BoundedLines.MAX_LINE_BYTES);
                buffer.delete(buffer.length() - BoundedLines.MAX_LINE_BYTES);
            }
            return done;
        });
    }

    /** Prints {@code greeting}, then reads and runs lines until Ctrl-D, {@code exit}, or {@link #close()}. */
    void run(String greeting, Sessions sessions) {
        PrintStream out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
        out.println(greeting);
        try (ShellSession session = sessions.open(out, out, reader)) {
            LineRunner runner = session.runner();
            commandNames = runner.commandNames();
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt(runner));
                } catch (UserInterruptException e) {
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
                LineRunner.Outcome outcome = runInterruptibly(runner, line);
                if (outcome == LineRunner.Outcome.EXIT) {
                    return;
                }
            }
        } catch (IllegalStateException | java.io.IOError e) {
            // the terminal was closed: the node is stopping, or restarting its components
        }
    }

    /**
     * Runs a line with Ctrl-C (SIGINT, the terminal being out of raw mode meanwhile) interrupting it. The
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
