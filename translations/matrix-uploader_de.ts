<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>MatrixUpload::App::AboutDialog</name>
    <message>
        <source>About %1</source>
        <translation>Über %1</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>Drop files on a window, and they go into Matrix: uploaded the fastest way the server allows, resumable, and posted to a room.</source>
        <translation>Dateien auf ein Fenster ziehen, und sie gehen nach Matrix: so schnell hochgeladen, wie der Server es erlaubt, fortsetzbar, und in einem Raum gepostet.</translation>
    </message>
    <message>
        <source>Free software under the MIT licence.</source>
        <translation>Freie Software unter der MIT-Lizenz.</translation>
    </message>
    <message>
        <source>Built with Qt %1, running on Qt %2.</source>
        <translation>Erstellt mit Qt %1, läuft mit Qt %2.</translation>
    </message>
    <message>
        <source>&amp;Licence</source>
        <translation>&amp;Lizenz</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::DesktopNotifier</name>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::HistoryWindow</name>
    <message>
        <source>Copy Content URI</source>
        <translation>Inhalts-URI kopieren</translation>
    </message>
    <message>
        <source>Copy Link</source>
        <translation>Link kopieren</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Clear History…</source>
        <translation>Verlauf leeren…</translation>
    </message>
    <message>
        <source>Upload History</source>
        <translation>Upload-Verlauf</translation>
    </message>
    <message>
        <source>Copy the mxc:// URI of the file</source>
        <translation>Die mxc://-URI der Datei kopieren</translation>
    </message>
    <message>
        <source>Copy a matrix.to link to the message the file was posted in</source>
        <translation>Einen matrix.to-Link zur Nachricht kopieren, in der die Datei gepostet wurde</translation>
    </message>
    <message>
        <source>Remove from the history (the file stays on the server)</source>
        <translation>Aus dem Verlauf entfernen (die Datei bleibt auf dem Server)</translation>
    </message>
    <message>
        <source>Clear History</source>
        <translation>Verlauf leeren</translation>
    </message>
    <message>
        <source>Remove every upload from the history? The files stay on the server.</source>
        <translation>Alle Uploads aus dem Verlauf entfernen? Die Dateien bleiben auf dem Server.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::MainWindow</name>
    <message>
        <source>No keychain is available (%1), so the sign-in cannot be kept: you stay signed in until you quit. Next time, sign in again, or start the app with the token in MATRIX_ACCESS_TOKEN and --homeserver URL.</source>
        <translation>Kein Schlüsselbund verfügbar (%1), daher kann die Anmeldung nicht gespeichert werden: Sie bleiben angemeldet, bis Sie das Programm beenden. Melden Sie sich beim nächsten Mal erneut an oder starten Sie die App mit dem Token in MATRIX_ACCESS_TOKEN und --homeserver URL.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Add Files…</source>
        <translation>Dateien &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Paste Files or Image</source>
        <translation>Dateien oder Bild &amp;einfügen</translation>
    </message>
    <message>
        <source>Show or Hide</source>
        <translation>Anzeigen oder ausblenden</translation>
    </message>
    <message>
        <source>Pause All</source>
        <translation>Alle anhalten</translation>
    </message>
    <message>
        <source>Resume All</source>
        <translation>Alle fortsetzen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>The keychain did not give the sign-in: %1</source>
        <translation>Der Schlüsselbund hat die Anmeldung nicht herausgegeben: %1</translation>
    </message>
    <message>
        <source>The server no longer accepts your sign-in. Sign in again: your uploads wait and continue from where they are.</source>
        <translation>Der Server akzeptiert Ihre Anmeldung nicht mehr. Melden Sie sich erneut an: Ihre Uploads warten und machen dort weiter, wo sie sind.</translation>
    </message>
    <message>
        <source>Signed in again: the uploads continue.</source>
        <translation>Erneut angemeldet: Die Uploads gehen weiter.</translation>
    </message>
    <message>
        <source>The sign-in could not be kept in the keychain: %1. You stay signed in until you quit.</source>
        <translation>Die Anmeldung konnte nicht im Schlüsselbund gespeichert werden: %1. Sie bleiben angemeldet, bis Sie das Programm beenden.</translation>
    </message>
    <message>
        <source>The room each uploaded file is posted to</source>
        <translation>Der Raum, in dem jede hochgeladene Datei gepostet wird</translation>
    </message>
    <message>
        <source>Post to:</source>
        <translation>Posten in:</translation>
    </message>
    <message>
        <source>This room is encrypted and Matrix Uploader cannot encrypt messages: files are uploaded encrypted, but not posted.</source>
        <translation>Dieser Raum ist verschlüsselt, und Matrix Uploader kann keine Nachrichten verschlüsseln: Dateien werden verschlüsselt hochgeladen, aber nicht gepostet.</translation>
    </message>
    <message>
        <source>Name and Caption…</source>
        <translation>Name und Beschriftung …</translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished upload(s) from the last run: Resume continues them from where they stopped.</source>
        <translation>
            <numerusform>%n unfertiger Upload vom letzten Lauf: „Fortsetzen“ macht dort weiter, wo er stehen blieb.</numerusform>
            <numerusform>%n unfertige Uploads vom letzten Lauf: „Fortsetzen“ macht dort weiter, wo sie stehen blieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>No room (only upload)</source>
        <translation>Kein Raum (nur hochladen)</translation>
    </message>
    <message>
        <source>%1 (encrypted)</source>
        <translation>%1 (verschlüsselt)</translation>
    </message>
    <message>
        <source>Not posted: %1 is encrypted, and Matrix Uploader cannot encrypt messages</source>
        <translation>Nicht gepostet: %1 ist verschlüsselt, und Matrix Uploader kann keine Nachrichten verschlüsseln</translation>
    </message>
    <message>
        <source>Cannot post to an encrypted room</source>
        <translation>Posten in einen verschlüsselten Raum nicht möglich</translation>
    </message>
    <message>
        <source>Copy the event content and send it from a client that encrypts (it holds the key of the file), or post the file to another room.</source>
        <translation>Kopieren Sie den Ereignisinhalt und senden Sie ihn aus einem Client, der verschlüsselt (er enthält den Schlüssel der Datei), oder posten Sie die Datei in einen anderen Raum.</translation>
    </message>
    <message>
        <source>Copy event content</source>
        <translation>Ereignisinhalt kopieren</translation>
    </message>
    <message>
        <source>Post to another room…</source>
        <translation>In einen anderen Raum posten …</translation>
    </message>
    <message>
        <source>%1 was uploaded encrypted, but it was not posted to %2: that room is end-to-end encrypted, and Matrix Uploader cannot encrypt messages.</source>
        <translation>%1 wurde verschlüsselt hochgeladen, aber nicht in %2 gepostet: Dieser Raum ist Ende-zu-Ende-verschlüsselt, und Matrix Uploader kann keine Nachrichten verschlüsseln.</translation>
    </message>
    <message numerus="yes">
        <source>%n files were uploaded encrypted, but they were not posted to %1: that room is end-to-end encrypted, and Matrix Uploader cannot encrypt messages.</source>
        <translation>
            <numerusform>%n Datei wurde verschlüsselt hochgeladen, aber nicht in %1 gepostet: Dieser Raum ist Ende-zu-Ende-verschlüsselt, und Matrix Uploader kann keine Nachrichten verschlüsseln.</numerusform>
            <numerusform>%n Dateien wurden verschlüsselt hochgeladen, aber nicht in %1 gepostet: Dieser Raum ist Ende-zu-Ende-verschlüsselt, und Matrix Uploader kann keine Nachrichten verschlüsseln.</numerusform>
        </translation>
    </message>
    <message>
        <source>Signed in with a token</source>
        <translation>Mit einem Token angemeldet</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <source>The server did not confirm the sign-out: %1</source>
        <translation>Der Server hat die Abmeldung nicht bestätigt: %1</translation>
    </message>
    <message>
        <source>Uploads go on here. Quit from this menu.</source>
        <translation>Die Uploads laufen hier weiter. Beenden über dieses Menü.</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Matrix Uploader</source>
        <translation>Ü&amp;ber Matrix Uploader</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>The account shown; the uploads of the others go on</source>
        <translation>Das angezeigte Konto; die Uploads der anderen laufen weiter</translation>
    </message>
    <message>
        <source>Add &amp;Account…</source>
        <translation>Konto &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>A&amp;ccount</source>
        <translation>&amp;Konto</translation>
    </message>
    <message>
        <source>Add Account…</source>
        <translation>Konto hinzufügen …</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;Verlauf…</translation>
    </message>
    <message>
        <source>The sign-in of %1 could not be restored (%2): sign in again with Account, Add Account…</source>
        <translation>Die Anmeldung von %1 konnte nicht wiederhergestellt werden (%2): Melden Sie sich erneut an mit Konto, Konto hinzufügen …</translation>
    </message>
    <message>
        <source>Files of another account were not posted: each account posts to its own rooms.</source>
        <translation>Dateien eines anderen Kontos wurden nicht gepostet: Jedes Konto postet in seine eigenen Räume.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::MessageTextDialog</name>
    <message>
        <source>Name and Caption</source>
        <translation>Name und Beschriftung</translation>
    </message>
    <message>
        <source>Names and Captions</source>
        <translation>Namen und Beschriftungen</translation>
    </message>
    <message>
        <source>The message posted with this file shows its name and caption.</source>
        <translation>Die mit dieser Datei gepostete Nachricht zeigt ihren Namen und ihre Beschriftung.</translation>
    </message>
    <message>
        <source>The messages posted with these files show their names and captions.</source>
        <translation>Die mit diesen Dateien geposteten Nachrichten zeigen ihre Namen und Beschriftungen.</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>Dateiname</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>Beschriftung</translation>
    </message>
    <message>
        <source>No caption</source>
        <translation>Keine Beschriftung</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Caption:</source>
        <translation>Beschriftung:</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>Posten</translation>
    </message>
    <message>
        <source>Post as They Are</source>
        <translation>Unverändert posten</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::RoomPickerDialog</name>
    <message>
        <source>Loading your rooms…</source>
        <translation>Ihre Räume werden geladen …</translation>
    </message>
    <message>
        <source>Post to a room</source>
        <translation>In einem Raum posten</translation>
    </message>
    <message>
        <source>Search rooms by name</source>
        <translation>Räume nach Namen suchen</translation>
    </message>
    <message>
        <source>Do not post (only upload)</source>
        <translation>Nicht posten (nur hochladen)</translation>
    </message>
    <message>
        <source>Your rooms could not be listed: %1</source>
        <translation>Ihre Räume konnten nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>You have not joined any room yet.</source>
        <translation>Sie sind noch keinem Raum beigetreten.</translation>
    </message>
    <message>
        <source>%1 (encrypted)</source>
        <translation>%1 (verschlüsselt)</translation>
    </message>
    <message>
        <source>%1
Encrypted: Matrix Uploader cannot post here, it cannot encrypt messages</source>
        <translation>%1
Verschlüsselt: Matrix Uploader kann hier nicht posten, da es keine Nachrichten verschlüsseln kann</translation>
    </message>
    <message>
        <source>You are no longer in the room chosen before.</source>
        <translation>Sie sind nicht mehr in dem zuvor gewählten Raum.</translation>
    </message>
    <message numerus="yes">
        <source>%n room(s)</source>
        <translation>
            <numerusform>%n Raum</numerusform>
            <numerusform>%n Räume</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::SettingsDialog</name>
    <message>
        <source>Upload straight to the server&apos;s storage when it offers it</source>
        <translation>Direkt in den Speicher des Servers hochladen, wenn er das anbietet</translation>
    </message>
    <message>
        <source>Download each file again and compare after the upload</source>
        <translation>Jede Datei nach dem Upload erneut herunterladen und vergleichen</translation>
    </message>
    <message>
        <source>Start in the tray, without a window</source>
        <translation>Im Systembereich starten, ohne Fenster</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Off: every file goes through the homeserver.</source>
        <translation>Aus: Jede Datei geht über den Homeserver.</translation>
    </message>
    <message>
        <source>As soon as the upload starts (keeps the order)</source>
        <translation>Sobald der Upload beginnt (behält die Reihenfolge)</translation>
    </message>
    <message>
        <source>When the upload is complete</source>
        <translation>Wenn der Upload abgeschlossen ist</translation>
    </message>
    <message>
        <source>This desktop shows no tray: the window opens anyway.</source>
        <translation>Diese Arbeitsumgebung hat keinen Systembereich: Das Fenster öffnet sich trotzdem.</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen …</translation>
    </message>
    <message>
        <source>Uploads at once:</source>
        <translation>Gleichzeitige Uploads:</translation>
    </message>
    <message>
        <source>Chunk size:</source>
        <translation>Blockgröße:</translation>
    </message>
    <message>
        <source>Post files to:</source>
        <translation>Dateien posten in:</translation>
    </message>
    <message>
        <source>Post when:</source>
        <translation>Posten, wenn:</translation>
    </message>
    <message>
        <source>No room (files are only uploaded)</source>
        <translation>Kein Raum (Dateien werden nur hochgeladen)</translation>
    </message>
    <message>
        <source>Show notifications</source>
        <translation>Benachrichtigungen anzeigen</translation>
    </message>
    <message>
        <source>When all uploads are done, and when a file fails: in the tray, or where there is none as a desktop notification.</source>
        <translation>Wenn alle Uploads fertig sind und wenn eine Datei fehlschlägt: im Systembereich, oder wo es keinen gibt, als Desktop-Benachrichtigung.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>How much is sent in one request of a resumable upload: after a lost connection at most this much is sent again. Automatic: from 8 MiB, larger on a link with long round trips.</source>
        <translation>Wie viel eine Anfrage eines fortsetzbaren Uploads sendet: nach einer unterbrochenen Verbindung wird höchstens so viel erneut gesendet. Automatisch: ab 8 MiB, größer auf einer Verbindung mit langen Umlaufzeiten.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::SignInPage</name>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>@alice:example.org</source>
        <translation>@alice:example.org</translation>
    </message>
    <message>
        <source>Found from your user ID, or e.g. matrix.example.org</source>
        <translation>Aus Ihrer Benutzer-ID ermittelt, oder z. B. matrix.example.org</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Sign in to Matrix&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Bei Matrix anmelden&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>&amp;User ID:</source>
        <translation>&amp;Benutzer-ID:</translation>
    </message>
    <message>
        <source>Home&amp;server:</source>
        <translation>Home&amp;server:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Unknown server: %1 cannot be found. Check the spelling of the user ID or the homeserver.</source>
        <translation>Unbekannter Server: %1 wurde nicht gefunden. Prüfen Sie die Schreibweise der Benutzer-ID oder des Homeservers.</translation>
    </message>
    <message>
        <source>%1 does not answer: the server may be down, or you are offline (%2).</source>
        <translation>%1 antwortet nicht: Der Server ist vielleicht nicht erreichbar, oder Sie sind offline (%2).</translation>
    </message>
    <message>
        <source>%1 cannot be trusted: its certificate is not valid (%2).</source>
        <translation>%1 ist nicht vertrauenswürdig: Sein Zertifikat ist ungültig (%2).</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>%1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>%1 has a problem right now (%2). Try again later.</source>
        <translation>%1 hat gerade ein Problem (%2). Versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>%1 is not a Matrix server, or not one this app can use (%2).</source>
        <translation>%1 ist kein Matrix-Server oder keiner, den diese App nutzen kann (%2).</translation>
    </message>
    <message>
        <source>Enter your user ID and password.</source>
        <translation>Geben Sie Ihre Benutzer-ID und Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>Enter your full user ID (@name:server), or the homeserver.</source>
        <translation>Geben Sie Ihre vollständige Benutzer-ID (@name:server) oder den Homeserver ein.</translation>
    </message>
    <message>
        <source>Looking up %1…</source>
        <translation>%1 wird gesucht …</translation>
    </message>
    <message>
        <source>Signing in to %1…</source>
        <translation>Anmeldung bei %1 …</translation>
    </message>
    <message>
        <source>Wrong user ID or password.</source>
        <translation>Falsche Benutzer-ID oder falsches Passwort.</translation>
    </message>
    <message>
        <source>Too many sign-in attempts: wait a moment and try again.</source>
        <translation>Zu viele Anmeldeversuche: Warten Sie einen Moment und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The server refused the sign-in: %1</source>
        <translation>Der Server hat die Anmeldung abgelehnt: %1</translation>
    </message>
    <message>
        <source>Signed in.</source>
        <translation>Angemeldet.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>The browser did not come back in time, so the single sign-on was stopped. Try again, and finish signing in there.</source>
        <translation>Der Browser ist nicht rechtzeitig zurückgekehrt, daher wurde die Einmalanmeldung beendet. Versuchen Sie es erneut und schließen Sie die Anmeldung dort ab.</translation>
    </message>
    <message>
        <source>The server refused the single sign-on: its sign-in link was used already or has expired. Try again.</source>
        <translation>Der Server hat die Einmalanmeldung abgelehnt: Ihr Anmeldelink wurde bereits verwendet oder ist abgelaufen. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Sign in with single sign-on</source>
        <translation>Mit Einmalanmeldung (SSO) anmelden</translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation>Mit %1 anmelden</translation>
    </message>
    <message>
        <source>Cannot wait for the browser to come back: %1</source>
        <translation>Auf die Rückkehr des Browsers kann nicht gewartet werden: %1</translation>
    </message>
    <message>
        <source>Continue in your browser: sign in there, then come back here.</source>
        <translation>Fahren Sie im Browser fort: Melden Sie sich dort an und kehren Sie dann hierher zurück.</translation>
    </message>
    <message>
        <source>No web browser could be opened for the single sign-on.</source>
        <translation>Für die Einmalanmeldung konnte kein Webbrowser geöffnet werden.</translation>
    </message>
    <message>
        <source>Single sign-on cancelled.</source>
        <translation>Einmalanmeldung abgebrochen.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Back to the account signed in already</source>
        <translation>Zurück zum bereits angemeldeten Konto</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::SsoRedirectListener</name>
    <message>
        <source>Matrix Uploader</source>
        <translation>Matrix Uploader</translation>
    </message>
    <message>
        <source>The request is too large.</source>
        <translation>Die Anfrage ist zu groß.</translation>
    </message>
    <message>
        <source>This is not a request.</source>
        <translation>Das ist keine Anfrage.</translation>
    </message>
    <message>
        <source>Only GET is answered here.</source>
        <translation>Hier wird nur GET beantwortet.</translation>
    </message>
    <message>
        <source>This is not the sign-in Matrix Uploader is waiting for.</source>
        <translation>Das ist nicht die Anmeldung, auf die Matrix Uploader wartet.</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>Anmeldung fehlgeschlagen</translation>
    </message>
    <message>
        <source>The server sent no login token back. Return to Matrix Uploader and try again.</source>
        <translation>Der Server hat kein Anmeldetoken zurückgeschickt. Kehren Sie zu Matrix Uploader zurück und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <source>You can close this tab and return to Matrix Uploader.</source>
        <translation>Sie können diesen Tab schließen und zu Matrix Uploader zurückkehren.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::TrayStatus</name>
    <message>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message numerus="yes">
        <source>Uploading %n file(s): %1 %</source>
        <translation>
            <numerusform>%n Datei wird hochgeladen: %1 %</numerusform>
            <numerusform>%n Dateien werden hochgeladen: %1 %</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n upload(s) paused</source>
        <translation>
            <numerusform>%n Upload angehalten</numerusform>
            <numerusform>%n Uploads angehalten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n upload(s) failed</source>
        <translation>
            <numerusform>%n Upload fehlgeschlagen</numerusform>
            <numerusform>%n Uploads fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to upload</source>
        <translation>Nichts hochzuladen</translation>
    </message>
    <message>
        <source>Upload failed: %1</source>
        <translation>Upload fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Uploads complete</source>
        <translation>Uploads abgeschlossen</translation>
    </message>
    <message>
        <source>Uploads finished</source>
        <translation>Uploads beendet</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) uploaded</source>
        <translation>
            <numerusform>%n Datei hochgeladen</numerusform>
            <numerusform>%n Dateien hochgeladen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n fehlgeschlagen</numerusform>
            <numerusform>%n fehlgeschlagen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::UploadHistory</name>
    <message>
        <source>not an upload history of this version</source>
        <translation>kein Upload-Verlauf dieser Version</translation>
    </message>
    <message>
        <source>an entry without a content URI or date</source>
        <translation>ein Eintrag ohne Inhalts-URI oder Datum</translation>
    </message>
    <message>
        <source>The upload history could not be read (%1). It was moved to %2 and starts empty.</source>
        <translation>Der Upload-Verlauf konnte nicht gelesen werden (%1). Er wurde nach %2 verschoben und beginnt leer.</translation>
    </message>
    <message>
        <source>The upload history could not be read (%1) and is left as it is in %2: uploads of this run are not kept in it.</source>
        <translation>Der Upload-Verlauf konnte nicht gelesen werden (%1) und bleibt unverändert in %2: Uploads dieser Sitzung werden nicht darin festgehalten.</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>Not posted</source>
        <translation>Nicht gepostet</translation>
    </message>
    <message>
        <source>%1 (encrypted)</source>
        <translation>%1 (verschlüsselt)</translation>
    </message>
    <message>
        <source>%1
event %2</source>
        <translation>%1
Ereignis %2</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>The upload history was written by a newer version of Matrix Uploader and is left as it is in %1: uploads of this run are not kept in it.</source>
        <translation>Der Upload-Verlauf wurde von einer neueren Version von Matrix Uploader geschrieben und bleibt unverändert in %1: Uploads dieses Laufs werden darin nicht festgehalten.</translation>
    </message>
    <message>
        <source>Some entries of the upload history could not be read (%1). The file was kept as %2, and the entries that could be read are listed.</source>
        <translation>Einige Einträge des Upload-Verlaufs konnten nicht gelesen werden (%1). Die Datei wurde als %2 aufbewahrt, und die lesbaren Einträge werden angezeigt.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::Cli::DownloadCommand</name>
    <message>
        <source>error: cannot write %1: %2</source>
        <translation>Fehler: %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>error: cannot download %1: %2</source>
        <translation>Fehler: %1 kann nicht heruntergeladen werden: %2</translation>
    </message>
    <message>
        <source>error: %1 does not decrypt: %2. Nothing was written to %3.</source>
        <translation>Fehler: %1 lässt sich nicht entschlüsseln: %2. Nach %3 wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>error: cannot replace %1</source>
        <translation>Fehler: %1 kann nicht ersetzt werden</translation>
    </message>
    <message>
        <source>error: cannot rename %1 to %2: %3</source>
        <translation>Fehler: %1 kann nicht in %2 umbenannt werden: %3</translation>
    </message>
    <message>
        <source>%1: %2 decrypted, hashes.sha256 matches</source>
        <translation>%1: %2 entschlüsselt, hashes.sha256 stimmt überein</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Interrupted; nothing was written to %1.</source>
        <translation>Unterbrochen; nach %1 wurde nichts geschrieben.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::Cli::UploadCommand</name>
    <message numerus="yes">
        <source>Resuming %n unfinished upload(s).</source>
        <translation>
            <numerusform>%n unfertiger Upload wird fortgesetzt.</numerusform>
            <numerusform>%n unfertige Uploads werden fortgesetzt.</numerusform>
        </translation>
    </message>
    <message>
        <source>note: %1: %2</source>
        <translation>Hinweis: %1: %2</translation>
    </message>
    <message>
        <source>Nothing to resume.</source>
        <translation>Nichts fortzusetzen.</translation>
    </message>
    <message>
        <source>No files given.</source>
        <translation>Keine Dateien angegeben.</translation>
    </message>
    <message>
        <source>Paused. Run &quot;matrix-uploader-cli upload --resume&quot; to continue.</source>
        <translation>Angehalten. Mit „matrix-uploader-cli upload --resume“ fortsetzen.</translation>
    </message>
    <message>
        <source>error: the server no longer accepts this sign-in (%1).</source>
        <translation>Fehler: Der Server akzeptiert diese Anmeldung nicht mehr (%1).</translation>
    </message>
    <message>
        <source>Sign in again with &quot;matrix-uploader-cli login&quot; (or set a new %1), then run &quot;matrix-uploader-cli upload --resume&quot; to continue from what the server holds.</source>
        <translation>Melden Sie sich mit „matrix-uploader-cli login“ erneut an (oder setzen Sie ein neues %1) und führen Sie dann „matrix-uploader-cli upload --resume“ aus, um ab dem Stand auf dem Server weiterzumachen.</translation>
    </message>
    <message>
        <source>note: %1: the thumbnail was not uploaded: %2</source>
        <translation>Hinweis: %1: Das Vorschaubild wurde nicht hochgeladen: %2</translation>
    </message>
    <message>
        <source>verified: %1</source>
        <translation>überprüft: %1</translation>
    </message>
    <message>
        <source>error: %1: %2</source>
        <translation>Fehler: %1: %2</translation>
    </message>
    <message>
        <source>paused: %1 (%2 of %3 confirmed)</source>
        <translation>angehalten: %1 (%2 von %3 bestätigt)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Total: %1 of %2, %3 of %4 files done, %5/s, %6 left</source>
        <translation>Gesamt: %1 von %2, %3 von %4 Dateien fertig, %5/s, noch %6</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::Programs</name>
    <message>
        <source>Matrix Uploader on %1</source>
        <translation>Matrix Uploader auf %1</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is too large to be an EncryptedFile</source>
        <translation>%1 ist zu groß für ein EncryptedFile</translation>
    </message>
    <message>
        <source>%1 is not a JSON object: %2</source>
        <translation>%1 ist kein JSON-Objekt: %2</translation>
    </message>
    <message>
        <source>%1 has no EncryptedFile in &quot;file&quot; (an upload that was not encrypted, or did not complete?)</source>
        <translation>%1 hat kein EncryptedFile in „file“ (ein Upload, der nicht verschlüsselt war oder nicht abgeschlossen wurde?)</translation>
    </message>
    <message>
        <source>%1 is not a valid EncryptedFile: %2</source>
        <translation>%1 ist kein gültiges EncryptedFile: %2</translation>
    </message>
    <message>
        <source>error: cannot find a Matrix server at %1: %2</source>
        <translation>Fehler: Unter %1 wurde kein Matrix-Server gefunden: %2</translation>
    </message>
    <message>
        <source>Usage:
  matrix-uploader-cli login --homeserver URL_OR_SERVER_NAME --user NAME
      (the password is read from the terminal, or from standard input)
  matrix-uploader-cli logout
  matrix-uploader-cli upload [--homeserver URL] [options] FILE...
  matrix-uploader-cli upload --resume [options]
  matrix-uploader-cli download [--homeserver URL] [MXC] -o OUT [--encrypted-file FILE.json]
Run &quot;matrix-uploader-cli upload --help&quot; (or download --help) for the options.
The access token comes from the keychain (after login) or from MATRIX_ACCESS_TOKEN.</source>
        <translation>Aufruf:
  matrix-uploader-cli login --homeserver URL_OR_SERVER_NAME --user NAME
      (das Passwort wird vom Terminal oder von der Standardeingabe gelesen)
  matrix-uploader-cli logout
  matrix-uploader-cli upload [--homeserver URL] [Optionen] FILE...
  matrix-uploader-cli upload --resume [Optionen]
  matrix-uploader-cli download [--homeserver URL] [MXC] -o OUT [--encrypted-file FILE.json]
„matrix-uploader-cli upload --help“ (oder download --help) zeigt die Optionen.
Das Zugangstoken kommt aus dem Schlüsselbund (nach login) oder aus MATRIX_ACCESS_TOKEN.</translation>
    </message>
    <message>
        <source>Password for %1: </source>
        <translation>Passwort für %1: </translation>
    </message>
    <message>
        <source>error: no password given</source>
        <translation>Fehler: kein Passwort angegeben</translation>
    </message>
    <message>
        <source>error: sign-in refused: %1</source>
        <translation>Fehler: Anmeldung abgelehnt: %1</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Signed in as %1 on %2</source>
        <translation>Als %1 auf %2 angemeldet</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>Nicht angemeldet.</translation>
    </message>
    <message>
        <source>Signed out %1.</source>
        <translation>%1 abgemeldet.</translation>
    </message>
    <message>
        <source>warning: the server did not confirm the sign-out: %1</source>
        <translation>Warnung: Der Server hat die Abmeldung nicht bestätigt: %1</translation>
    </message>
    <message>
        <source>--protocol takes one of %1</source>
        <translation>--protocol erwartet eines von %1</translation>
    </message>
    <message>
        <source>--chunk-size takes a multiple of 256K, such as 8M</source>
        <translation>--chunk-size erwartet ein Vielfaches von 256K, etwa 8M</translation>
    </message>
    <message>
        <source>--inactivity-timeout takes seconds, from 0.1 to 3600</source>
        <translation>--inactivity-timeout erwartet Sekunden, von 0.1 bis 3600</translation>
    </message>
    <message>
        <source>--parallel takes a count of 1 or more</source>
        <translation>--parallel erwartet eine Anzahl ab 1</translation>
    </message>
    <message>
        <source>upload needs files, or --resume</source>
        <translation>upload braucht Dateien oder --resume</translation>
    </message>
    <message>
        <source>warning: the renewed sign-in could not be stored (%1); the next run may need &quot;matrix-uploader-cli login&quot;.</source>
        <translation>Warnung: Die erneuerte Anmeldung konnte nicht gespeichert werden (%1); beim nächsten Aufruf ist vielleicht „matrix-uploader-cli login“ nötig.</translation>
    </message>
    <message>
        <source>error: not signed in to %1. Run &quot;matrix-uploader-cli login&quot;, or set MATRIX_ACCESS_TOKEN.</source>
        <translation>Fehler: nicht bei %1 angemeldet. Führen Sie „matrix-uploader-cli login“ aus oder setzen Sie MATRIX_ACCESS_TOKEN.</translation>
    </message>
    <message>
        <source>this command needs --homeserver (or a login first)</source>
        <translation>dieser Befehl braucht --homeserver (oder vorher ein login)</translation>
    </message>
    <message>
        <source>note: no keychain can keep the key (%1); an encrypted upload cannot resume after this program ends.</source>
        <translation>Hinweis: Kein Schlüsselbund kann den Schlüssel aufbewahren (%1); ein verschlüsselter Upload kann nach dem Ende dieses Programms nicht fortgesetzt werden.</translation>
    </message>
    <message>
        <source>download takes one content URI</source>
        <translation>download erwartet eine Inhalts-URI</translation>
    </message>
    <message>
        <source>download needs -o OUT</source>
        <translation>download braucht -o OUT</translation>
    </message>
    <message>
        <source>download needs a content URI (mxc://server/id), or --encrypted-file</source>
        <translation>download braucht eine Inhalts-URI (mxc://server/id) oder --encrypted-file</translation>
    </message>
    <message>
        <source>not a content URI (mxc://server/id): %1</source>
        <translation>keine Inhalts-URI (mxc://server/id): %1</translation>
    </message>
    <message>
        <source>error: %1 is the EncryptedFile of %2, not of %3</source>
        <translation>Fehler: %1 ist das EncryptedFile von %2, nicht von %3</translation>
    </message>
    <message>
        <source>Server name (example.org) or homeserver URL.</source>
        <translation>Servername (example.org) oder Homeserver-URL.</translation>
    </message>
    <message>
        <source>User name or full user ID.</source>
        <translation>Benutzername oder vollständige Benutzer-ID.</translation>
    </message>
    <message>
        <source>Uploads files to a Matrix content repository.</source>
        <translation>Lädt Dateien in ein Matrix-Inhaltsrepository hoch.</translation>
    </message>
    <message>
        <source>Files to upload.</source>
        <translation>Hochzuladende Dateien.</translation>
    </message>
    <message>
        <source>Homeserver URL or server name (default: the one signed in to).</source>
        <translation>Homeserver-URL oder Servername (Vorgabe: der, bei dem Sie angemeldet sind).</translation>
    </message>
    <message>
        <source>auto (default), or force a path for diagnosis: put, content-range, tus, async, legacy.</source>
        <translation>auto (Vorgabe) oder zur Diagnose einen Weg erzwingen: put, content-range, tus, async, legacy.</translation>
    </message>
    <message>
        <source>Never use the server&apos;s direct upload URL.</source>
        <translation>Nie die direkte Upload-URL des Servers verwenden.</translation>
    </message>
    <message>
        <source>Uploads at the same time (default 3).</source>
        <translation>Gleichzeitige Uploads (Vorgabe 3).</translation>
    </message>
    <message>
        <source>Seconds a request may stay silent (no byte sent or received) before it counts as stalled and is tried again (default 60).</source>
        <translation>Sekunden, die eine Anfrage still bleiben darf (kein Byte gesendet oder empfangen), bevor sie als hängend gilt und erneut versucht wird (Vorgabe 60).</translation>
    </message>
    <message>
        <source>Download each upload and compare its SHA-256.</source>
        <translation>Jeden Upload herunterladen und seinen SHA-256 vergleichen.</translation>
    </message>
    <message>
        <source>One JSON object per file and line on standard output, with the &apos;msgtype&apos; and &apos;info&apos; a message would post (sizes, duration, BlurHash, a thumbnail uploaded beside the file).</source>
        <translation>Ein JSON-Objekt pro Datei und Zeile auf der Standardausgabe, mit dem &apos;msgtype&apos; und &apos;info&apos;, die eine Nachricht posten würde (Größen, Dauer, BlurHash, ein neben der Datei hochgeladenes Vorschaubild).</translation>
    </message>
    <message>
        <source>Continue the unfinished uploads of earlier runs.</source>
        <translation>Die unfertigen Uploads früherer Aufrufe fortsetzen.</translation>
    </message>
    <message>
        <source>Upload encrypted attachments (AES-256-CTR, for encrypted rooms). The key is printed with the content URI; with --json, &apos;file&apos; is the EncryptedFile for the event and &apos;path&apos; the local file. The key is kept in the keychain until the upload ends, so --resume can continue it.</source>
        <translation>Verschlüsselte Anhänge hochladen (AES-256-CTR, für verschlüsselte Räume). Der Schlüssel wird mit der Inhalts-URI ausgegeben; mit --json ist &apos;file&apos; das EncryptedFile für das Ereignis und &apos;path&apos; die lokale Datei. Der Schlüssel bleibt bis zum Ende des Uploads im Schlüsselbund, damit --resume ihn fortsetzen kann.</translation>
    </message>
    <message>
        <source>Log each upload&apos;s steps (never the token or an upload URL&apos;s signature).</source>
        <translation>Die Schritte jedes Uploads protokollieren (nie das Token oder die Signatur einer Upload-URL).</translation>
    </message>
    <message>
        <source>Downloads a file from a Matrix content repository, decrypting an encrypted attachment. The file is written to OUT.part and renamed to OUT only when complete (and, when decrypted, its hashes.sha256 matched); on any failure no OUT is left and the exit status is 1.</source>
        <translation>Lädt eine Datei aus einem Matrix-Inhaltsrepository herunter und entschlüsselt dabei einen verschlüsselten Anhang. Die Datei wird nach OUT.part geschrieben und erst nach Abschluss in OUT umbenannt (und, wenn entschlüsselt, wenn ihr hashes.sha256 übereinstimmt); bei jedem Fehler bleibt kein OUT zurück und der Exit-Status ist 1.</translation>
    </message>
    <message>
        <source>The content URI, mxc://server/id. Optional with --encrypted-file, whose url is used; when both are given they must be the same.</source>
        <translation>Die Inhalts-URI, mxc://server/id. Optional mit --encrypted-file, dessen url verwendet wird; sind beide angegeben, müssen sie gleich sein.</translation>
    </message>
    <message>
        <source>Where to write the file.</source>
        <translation>Wohin die Datei geschrieben wird.</translation>
    </message>
    <message>
        <source>Decrypt with this EncryptedFile while downloading and check hashes.sha256. FILE.json is the EncryptedFile object, a line of &apos;upload --encrypt --json&apos;, or an event (or its content) with &apos;file&apos;.</source>
        <translation>Beim Herunterladen mit diesem EncryptedFile entschlüsseln und hashes.sha256 prüfen. FILE.json ist das EncryptedFile-Objekt, eine Zeile von &apos;upload --encrypt --json&apos; oder ein Ereignis (oder sein Inhalt) mit &apos;file&apos;.</translation>
    </message>
    <message>
        <source>Log the requests (never the token).</source>
        <translation>Die Anfragen protokollieren (nie das Token).</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;</source>
        <translation>unbekannter Befehl „%1“</translation>
    </message>
    <message>
        <source>login needs --homeserver and --user</source>
        <translation>login braucht --homeserver und --user</translation>
    </message>
    <message>
        <source>Chunk size for resumable uploads, a multiple of 256K (default: sized to the link, from 8M up to 256M).</source>
        <translation>Blockgröße für fortsetzbare Uploads, ein Vielfaches von 256K (Standard: passend zur Verbindung, von 8M bis 256M).</translation>
    </message>
    <message>
        <source>Do not compare the SHA-256 an upload host names for its copy (content-range) with the bytes sent, and so do not hash them while they go (--json still hashes each file for its line): the size it names is still compared.</source>
        <translation>Den SHA-256, den ein Upload-Host für seine Kopie nennt (content-range), nicht mit den gesendeten Bytes vergleichen und sie daher beim Senden nicht hashen (--json hasht weiterhin jede Datei für ihre Zeile): die genannte Größe wird weiterhin verglichen.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Upload files to a Matrix server and post them to a room.

Scripted use: --homeserver URL with the access token in MATRIX_ACCESS_TOKEN skips the sign-in.</source>
        <translation>Dateien auf einen Matrix-Server hochladen und in einem Raum posten.

Skriptbetrieb: --homeserver URL mit dem Zugangstoken in MATRIX_ACCESS_TOKEN überspringt die Anmeldung.</translation>
    </message>
    <message>
        <source>The homeserver&apos;s base URL, with MATRIX_ACCESS_TOKEN.</source>
        <translation>Die Basis-URL des Homeservers, mit MATRIX_ACCESS_TOKEN.</translation>
    </message>
    <message>
        <source>Post the files of this run to this room ID.</source>
        <translation>Die Dateien dieses Aufrufs im Raum mit dieser ID posten.</translation>
    </message>
    <message>
        <source>Start in the tray, without a window.</source>
        <translation>Im Systembereich starten, ohne Fenster.</translation>
    </message>
    <message>
        <source>Files to upload.</source>
        <translation>Hochzuladende Dateien.</translation>
    </message>
</context>
</TS>
