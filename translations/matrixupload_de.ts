<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>DropZone</name>
    <message>
        <source>Drop files here to upload them</source>
        <translation>Dateien hier ablegen, um sie hochzuladen</translation>
    </message>
    <message>
        <source>Drop to upload</source>
        <translation>Ablegen zum Hochladen</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::CredentialError</name>
    <message>
        <source>Not a valid account: a homeserver URL (https://...) and a user ID (@name:server) are needed, got &quot;%1&quot; and &quot;%2&quot;.</source>
        <translation>Kein gültiges Konto: Nötig sind eine Homeserver-URL (https://...) und eine Benutzer-ID (@name:server), erhalten wurden „%1“ und „%2“.</translation>
    </message>
    <message>
        <source>Nothing to store for %1: the access token is empty.</source>
        <translation>Für %1 gibt es nichts zu speichern: Das Zugangstoken ist leer.</translation>
    </message>
    <message>
        <source>The keychain failed for %1: %2</source>
        <translation>Der Schlüsselbund ist für %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>No access token is stored for %1; sign in first.</source>
        <translation>Für %1 ist kein Zugangstoken gespeichert; bitte zuerst anmelden.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::MatrixError</name>
    <message>
        <source>Bad Request</source>
        <translation>Ungültige Anfrage</translation>
    </message>
    <message>
        <source>Unauthorized</source>
        <translation>Nicht autorisiert</translation>
    </message>
    <message>
        <source>Forbidden</source>
        <translation>Verboten</translation>
    </message>
    <message>
        <source>Not Found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Method Not Allowed</source>
        <translation>Methode nicht erlaubt</translation>
    </message>
    <message>
        <source>Request Timeout</source>
        <translation>Zeitüberschreitung der Anfrage</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>Content Too Large</source>
        <translation>Inhalt zu groß</translation>
    </message>
    <message>
        <source>Too Many Requests</source>
        <translation>Zu viele Anfragen</translation>
    </message>
    <message>
        <source>Internal Server Error</source>
        <translation>Interner Serverfehler</translation>
    </message>
    <message>
        <source>Bad Gateway</source>
        <translation>Fehlerhaftes Gateway</translation>
    </message>
    <message>
        <source>Service Unavailable</source>
        <translation>Dienst nicht verfügbar</translation>
    </message>
    <message>
        <source>Gateway Timeout</source>
        <translation>Zeitüberschreitung am Gateway</translation>
    </message>
    <message>
        <source>HTTP error</source>
        <translation>HTTP-Fehler</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::RoomPoster</name>
    <message>
        <source>the room is encrypted and this upload is not: a link to its plain bytes is never posted there</source>
        <translation>der Raum ist verschlüsselt, dieser Upload nicht: Ein Link auf unverschlüsselte Daten wird dort nie gepostet</translation>
    </message>
    <message>
        <source>The upload was cancelled</source>
        <translation>Der Upload wurde abgebrochen</translation>
    </message>
    <message>
        <source>Will be posted to %1 (asking whether the room is encrypted)</source>
        <translation>Wird in %1 gepostet (es wird geprüft, ob der Raum verschlüsselt ist)</translation>
    </message>
    <message>
        <source>%1 is encrypted: the message goes to the client to encrypt when the upload completes</source>
        <translation>%1 ist verschlüsselt: Die Nachricht geht nach dem Upload zum Verschlüsseln an den Client</translation>
    </message>
    <message>
        <source>Will be posted to %1 when the upload completes</source>
        <translation>Wird nach dem Upload in %1 gepostet</translation>
    </message>
    <message>
        <source>Will be posted to %1</source>
        <translation>Wird in %1 gepostet</translation>
    </message>
    <message>
        <source>Handed to the client to encrypt and post to %1</source>
        <translation>Zum Verschlüsseln und Posten in %1 an den Client übergeben</translation>
    </message>
    <message>
        <source>Posting to %1, trying again (%2)</source>
        <translation>Wird in %1 gepostet, neuer Versuch (%2)</translation>
    </message>
    <message>
        <source>Posting to %1…</source>
        <translation>Wird in %1 gepostet …</translation>
    </message>
    <message>
        <source>Posted to %1 before the upload failed: the message shows no file until Retry finishes the upload</source>
        <translation>In %1 gepostet, bevor der Upload fehlschlug: Die Nachricht zeigt keine Datei, bis „Wiederholen“ den Upload abschließt</translation>
    </message>
    <message>
        <source>Posted to %1</source>
        <translation>In %1 gepostet</translation>
    </message>
    <message>
        <source>Posted to %1; the upload was cancelled but the message could not be removed (%2)</source>
        <translation>In %1 gepostet; der Upload wurde abgebrochen, aber die Nachricht konnte nicht entfernt werden (%2)</translation>
    </message>
    <message>
        <source>Posted to %1; removing the message, the upload was cancelled</source>
        <translation>In %1 gepostet; die Nachricht wird entfernt, der Upload wurde abgebrochen</translation>
    </message>
    <message>
        <source>Not posted to %1: %2</source>
        <translation>Nicht in %1 gepostet: %2</translation>
    </message>
    <message>
        <source>Not posted: the upload was cancelled</source>
        <translation>Nicht gepostet: Der Upload wurde abgebrochen</translation>
    </message>
    <message>
        <source>The message in %1 was removed: the upload was cancelled</source>
        <translation>Die Nachricht in %1 wurde entfernt: Der Upload wurde abgebrochen</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::ThumbnailUpload</name>
    <message>
        <source>no random key for the thumbnail</source>
        <translation>kein Zufallsschlüssel für das Vorschaubild</translation>
    </message>
    <message>
        <source>cannot encrypt the thumbnail</source>
        <translation>das Vorschaubild kann nicht verschlüsselt werden</translation>
    </message>
    <message>
        <source>the thumbnail is empty</source>
        <translation>das Vorschaubild ist leer</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::UploadJob</name>
    <message>
        <source>The file changed since the upload began. Add it again.</source>
        <translation>Die Datei hat sich seit Beginn des Uploads geändert. Bitte erneut hinzufügen.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The server refused the file: %1</source>
        <translation>Der Server hat die Datei abgelehnt: %1</translation>
    </message>
    <message>
        <source>The file cannot be read any more to compare it with the server&apos;s copy.</source>
        <translation>Die Datei kann nicht mehr gelesen werden, um sie mit der Kopie auf dem Server zu vergleichen.</translation>
    </message>
    <message>
        <source>the server&apos;s copy could not be checked: %1</source>
        <translation>die Kopie auf dem Server konnte nicht geprüft werden: %1</translation>
    </message>
    <message>
        <source>The server already holds other content for %1.</source>
        <translation>Der Server hat für %1 bereits anderen Inhalt.</translation>
    </message>
    <message>
        <source>The key of this encrypted upload is gone from the keychain; it starts over with a new key.</source>
        <translation>Der Schlüssel dieses verschlüsselten Uploads fehlt im Schlüsselbund; er beginnt mit einem neuen Schlüssel von vorn.</translation>
    </message>
    <message>
        <source>the upload</source>
        <translation>der Upload</translation>
    </message>
    <message>
        <source>%1 was uploaded from memory and cannot continue after a restart. Add it again.</source>
        <translation>%1 wurde aus dem Arbeitsspeicher hochgeladen und kann nach einem Neustart nicht fortgesetzt werden. Bitte erneut hinzufügen.</translation>
    </message>
    <message>
        <source>%1 was uploaded from a device and cannot continue after a restart. Add it again.</source>
        <translation>%1 wurde von einem Gerät hochgeladen und kann nach einem Neustart nicht fortgesetzt werden. Bitte erneut hinzufügen.</translation>
    </message>
    <message>
        <source>%1 cannot be sent again: %2.</source>
        <translation>%1 kann nicht erneut gesendet werden: %2.</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <source>The server refuses files over %1; this one is %2.</source>
        <translation>Der Server nimmt keine Dateien über %1 an; diese hat %2.</translation>
    </message>
    <message>
        <source>The size of %1 is not known in advance, and an upload needs it: the MSC2246 upload and upload URLs take an exact Content-Length, which a sequential device cannot tell. Give it as UploadMetadata::size.</source>
        <translation>Die Größe von %1 ist vorab nicht bekannt, ein Upload braucht sie aber: Der MSC2246-Upload und Upload-URLs verlangen eine genaue Content-Length, die ein sequenzielles Gerät nicht angeben kann. Bitte als UploadMetadata::size angeben.</translation>
    </message>
    <message>
        <source>this source cannot be rewound, and its bytes were read already</source>
        <translation>diese Quelle lässt sich nicht zurückspulen, und ihre Bytes wurden bereits gelesen</translation>
    </message>
    <message>
        <source>%1 cannot be read twice, so it cannot be verified after the upload: upload it without verification.</source>
        <translation>%1 kann nicht zweimal gelesen und daher nach dem Upload nicht überprüft werden: Bitte ohne Überprüfung hochladen.</translation>
    </message>
    <message>
        <source>This source cannot be rewound, so %1 cannot resume it: use put, async or legacy.</source>
        <translation>Diese Quelle lässt sich nicht zurückspulen, daher kann %1 sie nicht fortsetzen: put, async oder legacy verwenden.</translation>
    </message>
    <message>
        <source>The file %1 does not exist (any more).</source>
        <translation>Die Datei %1 existiert nicht (mehr).</translation>
    </message>
    <message>
        <source>%1 is not a file.</source>
        <translation>%1 ist keine Datei.</translation>
    </message>
    <message>
        <source>the server claims to hold an encrypted upload already</source>
        <translation>der Server gibt an, bereits einen verschlüsselten Upload zu haben</translation>
    </message>
    <message>
        <source>the server has no asynchronous uploads</source>
        <translation>der Server bietet keine asynchronen Uploads</translation>
    </message>
    <message>
        <source>the server limits pending uploads</source>
        <translation>der Server begrenzt ausstehende Uploads</translation>
    </message>
    <message>
        <source>The server refused a new upload: %1</source>
        <translation>Der Server hat einen neuen Upload abgelehnt: %1</translation>
    </message>
    <message>
        <source>the homeserver path was asked for</source>
        <translation>der Weg über den Homeserver wurde verlangt</translation>
    </message>
    <message>
        <source>direct upload URLs are turned off</source>
        <translation>direkte Upload-URLs sind ausgeschaltet</translation>
    </message>
    <message>
        <source>the server offers no direct upload URL</source>
        <translation>der Server bietet keine direkte Upload-URL</translation>
    </message>
    <message>
        <source>the server&apos;s upload protocol &quot;%1&quot; is not supported</source>
        <translation>das Upload-Protokoll „%1“ des Servers wird nicht unterstützt</translation>
    </message>
    <message>
        <source>the upload URL asks for the method %1, which is not an upload</source>
        <translation>die Upload-URL verlangt die Methode %1, die kein Upload ist</translation>
    </message>
    <message>
        <source>this source cannot be rewound, so %1 cannot resume</source>
        <translation>diese Quelle lässt sich nicht zurückspulen, daher kann %1 nicht fortsetzen</translation>
    </message>
    <message>
        <source>the upload protocol &quot;%1&quot; is not supported</source>
        <translation>das Upload-Protokoll „%1“ wird nicht unterstützt</translation>
    </message>
    <message>
        <source>direct upload refused (%1)</source>
        <translation>direkter Upload abgelehnt (%1)</translation>
    </message>
    <message>
        <source>The server refuses a file this large.</source>
        <translation>Der Server nimmt keine so große Datei an.</translation>
    </message>
    <message>
        <source>the server takes no uploads onto a created ID</source>
        <translation>der Server nimmt keine Uploads auf eine erstellte ID an</translation>
    </message>
    <message>
        <source>the upload ID expired; a new one was created</source>
        <translation>die Upload-ID ist abgelaufen; eine neue wurde erstellt</translation>
    </message>
    <message>
        <source>the server gave no usable content URI</source>
        <translation>der Server hat keine brauchbare Inhalts-URI geliefert</translation>
    </message>
    <message>
        <source>this source cannot be rewound, so it cannot be compared</source>
        <translation>diese Quelle lässt sich nicht zurückspulen und daher nicht vergleichen</translation>
    </message>
    <message>
        <source>No random key could be made for the encrypted upload.</source>
        <translation>Für den verschlüsselten Upload konnte kein Zufallsschlüssel erzeugt werden.</translation>
    </message>
    <message>
        <source>The encrypted upload cannot be hashed to its end: %1</source>
        <translation>Der verschlüsselte Upload kann nicht bis zum Ende gehasht werden: %1</translation>
    </message>
    <message>
        <source>The server refuses a file this large: %1</source>
        <translation>Der Server nimmt keine so große Datei an: %1</translation>
    </message>
    <message>
        <source>Could not download the file to verify it: %1</source>
        <translation>Die Datei konnte zur Überprüfung nicht heruntergeladen werden: %1</translation>
    </message>
    <message>
        <source>The file cannot be read any more to verify it.</source>
        <translation>Die Datei kann zur Überprüfung nicht mehr gelesen werden.</translation>
    </message>
    <message>
        <source>this source cannot be rewound, so it cannot be verified</source>
        <translation>diese Quelle lässt sich nicht zurückspulen und daher nicht überprüfen</translation>
    </message>
    <message>
        <source>The server&apos;s copy differs from the file (SHA-256 %1 instead of %2).</source>
        <translation>Die Kopie auf dem Server weicht von der Datei ab (SHA-256 %1 statt %2).</translation>
    </message>
    <message>
        <source>the direct upload kept failing (%1)</source>
        <translation>der direkte Upload ist wiederholt fehlgeschlagen (%1)</translation>
    </message>
    <message numerus="yes">
        <source>Gave up after %n tries: %1</source>
        <translation>
            <numerusform>Nach %n Versuch aufgegeben: %1</numerusform>
            <numerusform>Nach %n Versuchen aufgegeben: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>The server no longer accepts the sign-in; waiting for a new one.</source>
        <translation>Der Server akzeptiert die Anmeldung nicht mehr; warte auf eine neue.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::UploadListModel</name>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Checking the file</source>
        <translation>Datei wird geprüft</translation>
    </message>
    <message>
        <source>Asking the server for an address</source>
        <translation>Server wird nach einer Adresse gefragt</translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation>Wird hochgeladen</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message numerus="yes">
        <source>Retrying in %n s</source>
        <translation>
            <numerusform>Neuer Versuch in %n s</numerusform>
            <numerusform>Neuer Versuch in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for sign-in</source>
        <translation>Wartet auf Anmeldung</translation>
    </message>
    <message>
        <source>Finishing</source>
        <translation>Wird abgeschlossen</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>direct to storage</source>
        <translation>direkt in den Speicher</translation>
    </message>
    <message>
        <source>through the homeserver</source>
        <translation>über den Homeserver</translation>
    </message>
    <message>
        <source>through the homeserver (%1)</source>
        <translation>über den Homeserver (%1)</translation>
    </message>
    <message>
        <source>Check where the file went, then add it again.</source>
        <translation>Prüfen, wo die Datei geblieben ist, und sie dann erneut hinzufügen.</translation>
    </message>
    <message>
        <source>Make the file readable, then Retry.</source>
        <translation>Die Datei lesbar machen, dann „Wiederholen“.</translation>
    </message>
    <message>
        <source>Send a smaller file, or share this one another way.</source>
        <translation>Eine kleinere Datei senden oder diese auf anderem Weg teilen.</translation>
    </message>
    <message>
        <source>Remove this row and add the file again.</source>
        <translation>Diese Zeile entfernen und die Datei erneut hinzufügen.</translation>
    </message>
    <message>
        <source>Sign in again, then Retry.</source>
        <translation>Erneut anmelden, dann „Wiederholen“.</translation>
    </message>
    <message>
        <source>The server will not take this file; Remove it.</source>
        <translation>Der Server nimmt diese Datei nicht an; bitte entfernen.</translation>
    </message>
    <message>
        <source>Check the connection, or wait a while, then Retry.</source>
        <translation>Die Verbindung prüfen oder etwas warten, dann „Wiederholen“.</translation>
    </message>
    <message>
        <source>Try again later with Retry.</source>
        <translation>Später mit „Wiederholen“ erneut versuchen.</translation>
    </message>
    <message>
        <source>Remove this row and add the data again.</source>
        <translation>Diese Zeile entfernen und die Daten erneut hinzufügen.</translation>
    </message>
    <message>
        <source>The program that added it has to give its size.</source>
        <translation>Das Programm, das sie hinzugefügt hat, muss ihre Größe angeben.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::UploadManagerWidget</name>
    <message>
        <source>Upload manager</source>
        <translation>Upload-Verwaltung</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>Ordner hinzufügen</translation>
    </message>
    <message numerus="yes">
        <source>The folder %1 holds %n file(s). Upload them all?</source>
        <translation>
            <numerusform>Der Ordner %1 enthält %n Datei. Hochladen?</numerusform>
            <numerusform>Der Ordner %1 enthält %n Dateien. Alle hochladen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Add files to upload</source>
        <translation>Dateien zum Hochladen hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>Pause the selected uploads</source>
        <translation>Die ausgewählten Uploads anhalten</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Resume the selected uploads</source>
        <translation>Die ausgewählten Uploads fortsetzen</translation>
    </message>
    <message>
        <source>Pause or resume</source>
        <translation>Anhalten oder fortsetzen</translation>
    </message>
    <message>
        <source>Pause the selected uploads, or resume them when paused</source>
        <translation>Die ausgewählten Uploads anhalten oder, wenn angehalten, fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>A&amp;bbrechen</translation>
    </message>
    <message>
        <source>Stop the selected uploads for good</source>
        <translation>Die ausgewählten Uploads endgültig beenden</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Try the failed uploads again</source>
        <translation>Die fehlgeschlagenen Uploads erneut versuchen</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected rows, cancelling unfinished uploads</source>
        <translation>Die ausgewählten Zeilen entfernen und unfertige Uploads abbrechen</translation>
    </message>
    <message>
        <source>Copy &amp;link</source>
        <translation>&amp;Link kopieren</translation>
    </message>
    <message>
        <source>Copy the content URIs of the selected finished uploads</source>
        <translation>Die Inhalts-URIs der ausgewählten fertigen Uploads kopieren</translation>
    </message>
    <message>
        <source>Pa&amp;ste</source>
        <translation>EEin&amp;fügenamp;infügen</translation>
    </message>
    <message>
        <source>Upload the files or the image on the clipboard</source>
        <translation>Die Dateien oder das Bild aus der Zwischenablage hochladen</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>Dateien &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>Choose files to upload</source>
        <translation>Dateien zum Hochladen auswählen</translation>
    </message>
    <message>
        <source>Pause all</source>
        <translation>Alle anhalten</translation>
    </message>
    <message>
        <source>Pause every upload</source>
        <translation>Jeden Upload anhalten</translation>
    </message>
    <message>
        <source>Resume all</source>
        <translation>Alle fortsetzen</translation>
    </message>
    <message>
        <source>Resume every paused upload</source>
        <translation>Jeden angehaltenen Upload fortsetzen</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Alle abbrechen</translation>
    </message>
    <message>
        <source>Stop every unfinished upload</source>
        <translation>Jeden unfertigen Upload beenden</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Fertige entfernen</translation>
    </message>
    <message>
        <source>Remove the rows of finished and cancelled uploads</source>
        <translation>Die Zeilen fertiger und abgebrochener Uploads entfernen</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <source>Overall progress</source>
        <translation>Gesamtfortschritt</translation>
    </message>
    <message>
        <source>Uploads</source>
        <translation>Uploads</translation>
    </message>
    <message>
        <source>No uploads</source>
        <translation>Keine Uploads</translation>
    </message>
    <message>
        <source>No uploads yet.

Drop files or folders here, paste them with Ctrl+V, or choose Add files…</source>
        <translation>Noch keine Uploads.

Dateien oder Ordner hier ablegen, mit Strg+V einfügen oder „Dateien hinzufügen …“ wählen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Upload actions</source>
        <translation>Upload-Aktionen</translation>
    </message>
    <message>
        <source>The folder %1 holds no files.</source>
        <translation>Der Ordner %1 enthält keine Dateien.</translation>
    </message>
    <message>
        <source>Skipped the folder %1.</source>
        <translation>Ordner %1 übersprungen.</translation>
    </message>
    <message>
        <source>Files added: %1</source>
        <translation>Dateien hinzugefügt: %1</translation>
    </message>
    <message>
        <source>Only files on this computer can be uploaded; links skipped: %1</source>
        <translation>Nur Dateien auf diesem Computer können hochgeladen werden; übersprungene Links: %1</translation>
    </message>
    <message>
        <source>Cannot save the pasted image: the folder %1 cannot be created.</source>
        <translation>Das eingefügte Bild kann nicht gespeichert werden: Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot save the pasted image to %1.</source>
        <translation>Das eingefügte Bild kann nicht unter %1 gespeichert werden.</translation>
    </message>
    <message>
        <source>Nothing to upload: no files and no image.</source>
        <translation>Nichts zum Hochladen: keine Dateien und kein Bild.</translation>
    </message>
    <message>
        <source>Uploads removed: %1</source>
        <translation>Uploads entfernt: %1</translation>
    </message>
    <message>
        <source>No finished upload is selected: there is no link to copy yet.</source>
        <translation>Kein fertiger Upload ausgewählt: Es gibt noch keinen Link zum Kopieren.</translation>
    </message>
    <message>
        <source>Links copied: %1</source>
        <translation>Links kopiert: %1</translation>
    </message>
    <message>
        <source>%1 of %2 files done</source>
        <translation>%1 von %2 Dateien fertig</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::UploadViewModel</name>
    <message>
        <source>size unknown</source>
        <translation>Größe unbekannt</translation>
    </message>
    <message>
        <source>waits for a free slot</source>
        <translation>wartet auf einen freien Platz</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>%1 of %2 sent</source>
        <translation>%1 von %2 gesendet</translation>
    </message>
    <message>
        <source>Resume continues from there</source>
        <translation>„Fortsetzen“ macht dort weiter</translation>
    </message>
    <message>
        <source>continues once you sign in again</source>
        <translation>geht weiter, sobald Sie sich erneut anmelden</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>überprüft</translation>
    </message>
    <message>
        <source>nothing more is sent</source>
        <translation>es wird nichts mehr gesendet</translation>
    </message>
    <message>
        <source>encrypted</source>
        <translation>verschlüsselt</translation>
    </message>
    <message>
        <source>%1, protocol %2</source>
        <translation>%1, Protokoll %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1, encrypted</source>
        <translation>%1, verschlüsselt</translation>
    </message>
</context>
<context>
    <name>UploadDelegate</name>
    <message>
        <source>%1, %2, encrypted</source>
        <translation>%1, %2, verschlüsselt</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Fortschritt von %1</translation>
    </message>
    <message>
        <source>encrypted</source>
        <translation>verschlüsselt</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Pause the upload of %1</source>
        <translation>Upload von %1 anhalten</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Resume the upload of %1</source>
        <translation>Upload von %1 fortsetzen</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Retry the upload of %1</source>
        <translation>Upload von %1 wiederholen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the upload of %1</source>
        <translation>Upload von %1 abbrechen</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Link kopieren</translation>
    </message>
    <message>
        <source>Copy the link to %1</source>
        <translation>Link zu %1 kopieren</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove %1 from the list</source>
        <translation>%1 aus der Liste entfernen</translation>
    </message>
</context>
<context>
    <name>UploadManagerView</name>
    <message>
        <source>Uploads</source>
        <translation>Uploads</translation>
    </message>
    <message>
        <source>No uploads</source>
        <translation>Keine Uploads</translation>
    </message>
    <message>
        <source>%1 of %2 files done · %3 of %4</source>
        <translation>%1 von %2 Dateien fertig · %3 von %4</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n fehlgeschlagen</numerusform>
            <numerusform>%n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Pause all</source>
        <translation>Alle anhalten</translation>
    </message>
    <message>
        <source>Pause all uploads</source>
        <translation>Alle Uploads anhalten</translation>
    </message>
    <message>
        <source>Resume all</source>
        <translation>Alle fortsetzen</translation>
    </message>
    <message>
        <source>Resume all paused uploads</source>
        <translation>Alle angehaltenen Uploads fortsetzen</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Alle abbrechen</translation>
    </message>
    <message>
        <source>Cancel all unfinished uploads</source>
        <translation>Alle unfertigen Uploads abbrechen</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Fertige entfernen</translation>
    </message>
    <message>
        <source>Remove finished uploads from the list</source>
        <translation>Fertige Uploads aus der Liste entfernen</translation>
    </message>
    <message>
        <source>Progress of all uploads</source>
        <translation>Fortschritt aller Uploads</translation>
    </message>
    <message>
        <source>Drop files here to upload them</source>
        <translation>Dateien hier ablegen, um sie hochzuladen</translation>
    </message>
</context>
</TS>
