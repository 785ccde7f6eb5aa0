<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>DropZone</name>
    <message>
        <source>Drop files here to upload them</source>
        <translation>Déposez des fichiers ici pour les envoyer</translation>
    </message>
    <message>
        <source>Drop to upload</source>
        <translation>Déposez pour envoyer</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::CredentialError</name>
    <message>
        <source>Not a valid account: a homeserver URL (https://...) and a user ID (@name:server) are needed, got &quot;%1&quot; and &quot;%2&quot;.</source>
        <translation>Compte non valide : il faut une URL de serveur d’accueil (https://...) et un identifiant (@nom:serveur), reçu « %1 » et « %2 ».</translation>
    </message>
    <message>
        <source>Nothing to store for %1: the access token is empty.</source>
        <translation>Rien à enregistrer pour %1 : le jeton d’accès est vide.</translation>
    </message>
    <message>
        <source>The keychain failed for %1: %2</source>
        <translation>Le trousseau a échoué pour %1 : %2</translation>
    </message>
    <message>
        <source>No access token is stored for %1; sign in first.</source>
        <translation>Aucun jeton d’accès n’est enregistré pour %1 ; connectez-vous d’abord.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::MatrixError</name>
    <message>
        <source>Bad Request</source>
        <translation>Requête incorrecte</translation>
    </message>
    <message>
        <source>Unauthorized</source>
        <translation>Non autorisé</translation>
    </message>
    <message>
        <source>Forbidden</source>
        <translation>Interdit</translation>
    </message>
    <message>
        <source>Not Found</source>
        <translation>Introuvable</translation>
    </message>
    <message>
        <source>Method Not Allowed</source>
        <translation>Méthode non autorisée</translation>
    </message>
    <message>
        <source>Request Timeout</source>
        <translation>Délai de la requête dépassé</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Conflit</translation>
    </message>
    <message>
        <source>Content Too Large</source>
        <translation>Contenu trop volumineux</translation>
    </message>
    <message>
        <source>Too Many Requests</source>
        <translation>Trop de requêtes</translation>
    </message>
    <message>
        <source>Internal Server Error</source>
        <translation>Erreur interne du serveur</translation>
    </message>
    <message>
        <source>Bad Gateway</source>
        <translation>Passerelle incorrecte</translation>
    </message>
    <message>
        <source>Service Unavailable</source>
        <translation>Service indisponible</translation>
    </message>
    <message>
        <source>Gateway Timeout</source>
        <translation>Délai de la passerelle dépassé</translation>
    </message>
    <message>
        <source>HTTP error</source>
        <translation>Erreur HTTP</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::RoomPoster</name>
    <message>
        <source>the room is encrypted and this upload is not: a link to its plain bytes is never posted there</source>
        <translation>le salon est chiffré et cet envoi ne l’est pas : un lien vers ses données en clair n’y est jamais publié</translation>
    </message>
    <message>
        <source>The upload was cancelled</source>
        <translation>L’envoi a été annulé</translation>
    </message>
    <message>
        <source>Will be posted to %1 (asking whether the room is encrypted)</source>
        <translation>Sera publié dans %1 (vérification du chiffrement du salon)</translation>
    </message>
    <message>
        <source>%1 is encrypted: the message goes to the client to encrypt when the upload completes</source>
        <translation>%1 est chiffré : le message sera confié au client pour le chiffrer une fois l’envoi terminé</translation>
    </message>
    <message>
        <source>Will be posted to %1 when the upload completes</source>
        <translation>Sera publié dans %1 une fois l’envoi terminé</translation>
    </message>
    <message>
        <source>Will be posted to %1</source>
        <translation>Sera publié dans %1</translation>
    </message>
    <message>
        <source>Handed to the client to encrypt and post to %1</source>
        <translation>Confié au client pour le chiffrer et le publier dans %1</translation>
    </message>
    <message>
        <source>Posting to %1, trying again (%2)</source>
        <translation>Publication dans %1, nouvel essai (%2)</translation>
    </message>
    <message>
        <source>Posting to %1…</source>
        <translation>Publication dans %1…</translation>
    </message>
    <message>
        <source>Posted to %1 before the upload failed: the message shows no file until Retry finishes the upload</source>
        <translation>Publié dans %1 avant l’échec de l’envoi : le message n’affiche aucun fichier tant que « Réessayer » n’a pas terminé l’envoi</translation>
    </message>
    <message>
        <source>Posted to %1</source>
        <translation>Publié dans %1</translation>
    </message>
    <message>
        <source>Posted to %1; the upload was cancelled but the message could not be removed (%2)</source>
        <translation>Publié dans %1 ; l’envoi a été annulé mais le message n’a pas pu être supprimé (%2)</translation>
    </message>
    <message>
        <source>Posted to %1; removing the message, the upload was cancelled</source>
        <translation>Publié dans %1 ; suppression du message, l’envoi a été annulé</translation>
    </message>
    <message>
        <source>Not posted to %1: %2</source>
        <translation>Non publié dans %1 : %2</translation>
    </message>
    <message>
        <source>Not posted: the upload was cancelled</source>
        <translation>Non publié : l’envoi a été annulé</translation>
    </message>
    <message>
        <source>The message in %1 was removed: the upload was cancelled</source>
        <translation>Le message dans %1 a été supprimé : l’envoi a été annulé</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::ThumbnailUpload</name>
    <message>
        <source>no random key for the thumbnail</source>
        <translation>aucune clé aléatoire pour la miniature</translation>
    </message>
    <message>
        <source>cannot encrypt the thumbnail</source>
        <translation>impossible de chiffrer la miniature</translation>
    </message>
    <message>
        <source>the thumbnail is empty</source>
        <translation>la miniature est vide</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::UploadJob</name>
    <message>
        <source>The file changed since the upload began. Add it again.</source>
        <translation>Le fichier a changé depuis le début de l’envoi. Ajoutez-le à nouveau.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>The server refused the file: %1</source>
        <translation>Le serveur a refusé le fichier : %1</translation>
    </message>
    <message>
        <source>The file cannot be read any more to compare it with the server&apos;s copy.</source>
        <translation>Le fichier ne peut plus être lu pour le comparer à la copie du serveur.</translation>
    </message>
    <message>
        <source>the server&apos;s copy could not be checked: %1</source>
        <translation>la copie du serveur n’a pas pu être vérifiée : %1</translation>
    </message>
    <message>
        <source>The server already holds other content for %1.</source>
        <translation>Le serveur détient déjà un autre contenu pour %1.</translation>
    </message>
    <message>
        <source>The key of this encrypted upload is gone from the keychain; it starts over with a new key.</source>
        <translation>La clé de cet envoi chiffré n’est plus dans le trousseau ; il recommence avec une nouvelle clé.</translation>
    </message>
    <message>
        <source>the upload</source>
        <translation>l’envoi</translation>
    </message>
    <message>
        <source>%1 was uploaded from memory and cannot continue after a restart. Add it again.</source>
        <translation>%1 était envoyé depuis la mémoire et ne peut pas reprendre après un redémarrage. Ajoutez-le à nouveau.</translation>
    </message>
    <message>
        <source>%1 was uploaded from a device and cannot continue after a restart. Add it again.</source>
        <translation>%1 était envoyé depuis un périphérique et ne peut pas reprendre après un redémarrage. Ajoutez-le à nouveau.</translation>
    </message>
    <message>
        <source>%1 cannot be sent again: %2.</source>
        <translation>%1 ne peut pas être renvoyé : %2.</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 octets</translation>
    </message>
    <message>
        <source>The server refuses files over %1; this one is %2.</source>
        <translation>Le serveur refuse les fichiers de plus de %1 ; celui-ci fait %2.</translation>
    </message>
    <message>
        <source>The size of %1 is not known in advance, and an upload needs it: the MSC2246 upload and upload URLs take an exact Content-Length, which a sequential device cannot tell. Give it as UploadMetadata::size.</source>
        <translation>La taille de %1 n’est pas connue à l’avance, or l’envoi en a besoin : l’envoi MSC2246 et les URL d’envoi exigent un Content-Length exact, qu’un périphérique séquentiel ne peut pas donner. Indiquez-la dans UploadMetadata::size.</translation>
    </message>
    <message>
        <source>this source cannot be rewound, and its bytes were read already</source>
        <translation>cette source ne peut pas être rembobinée, et ses octets ont déjà été lus</translation>
    </message>
    <message>
        <source>%1 cannot be read twice, so it cannot be verified after the upload: upload it without verification.</source>
        <translation>%1 ne peut pas être lu deux fois, il ne peut donc pas être vérifié après l’envoi : envoyez-le sans vérification.</translation>
    </message>
    <message>
        <source>This source cannot be rewound, so %1 cannot resume it: use put, async or legacy.</source>
        <translation>Cette source ne peut pas être rembobinée, %1 ne peut donc pas la reprendre : utilisez put, async ou legacy.</translation>
    </message>
    <message>
        <source>The file %1 does not exist (any more).</source>
        <translation>Le fichier %1 n’existe pas (ou plus).</translation>
    </message>
    <message>
        <source>%1 is not a file.</source>
        <translation>%1 n’est pas un fichier.</translation>
    </message>
    <message>
        <source>the server claims to hold an encrypted upload already</source>
        <translation>le serveur affirme détenir déjà un envoi chiffré</translation>
    </message>
    <message>
        <source>the server has no asynchronous uploads</source>
        <translation>le serveur ne propose pas d’envoi asynchrone</translation>
    </message>
    <message>
        <source>the server limits pending uploads</source>
        <translation>le serveur limite les envois en attente</translation>
    </message>
    <message>
        <source>The server refused a new upload: %1</source>
        <translation>Le serveur a refusé un nouvel envoi : %1</translation>
    </message>
    <message>
        <source>the homeserver path was asked for</source>
        <translation>le passage par le serveur d’accueil a été demandé</translation>
    </message>
    <message>
        <source>direct upload URLs are turned off</source>
        <translation>les URL d’envoi direct sont désactivées</translation>
    </message>
    <message>
        <source>the server offers no direct upload URL</source>
        <translation>le serveur ne propose pas d’URL d’envoi direct</translation>
    </message>
    <message>
        <source>the server&apos;s upload protocol &quot;%1&quot; is not supported</source>
        <translation>le protocole d’envoi « %1 » du serveur n’est pas pris en charge</translation>
    </message>
    <message>
        <source>the upload URL asks for the method %1, which is not an upload</source>
        <translation>l’URL d’envoi demande la méthode %1, qui n’est pas un envoi</translation>
    </message>
    <message>
        <source>this source cannot be rewound, so %1 cannot resume</source>
        <translation>cette source ne peut pas être rembobinée, %1 ne peut donc pas reprendre</translation>
    </message>
    <message>
        <source>the upload protocol &quot;%1&quot; is not supported</source>
        <translation>le protocole d’envoi « %1 » n’est pas pris en charge</translation>
    </message>
    <message>
        <source>direct upload refused (%1)</source>
        <translation>envoi direct refusé (%1)</translation>
    </message>
    <message>
        <source>The server refuses a file this large.</source>
        <translation>Le serveur refuse un fichier aussi volumineux.</translation>
    </message>
    <message>
        <source>the server takes no uploads onto a created ID</source>
        <translation>le serveur n’accepte pas d’envoi vers un identifiant créé</translation>
    </message>
    <message>
        <source>the upload ID expired; a new one was created</source>
        <translation>l’identifiant d’envoi a expiré ; un nouveau a été créé</translation>
    </message>
    <message>
        <source>the server gave no usable content URI</source>
        <translation>le serveur n’a donné aucune URI de contenu utilisable</translation>
    </message>
    <message>
        <source>this source cannot be rewound, so it cannot be compared</source>
        <translation>cette source ne peut pas être rembobinée, elle ne peut donc pas être comparée</translation>
    </message>
    <message>
        <source>No random key could be made for the encrypted upload.</source>
        <translation>Aucune clé aléatoire n’a pu être créée pour l’envoi chiffré.</translation>
    </message>
    <message>
        <source>The encrypted upload cannot be hashed to its end: %1</source>
        <translation>Le hachage de l’envoi chiffré ne peut pas aller jusqu’au bout : %1</translation>
    </message>
    <message>
        <source>The server refuses a file this large: %1</source>
        <translation>Le serveur refuse un fichier aussi volumineux : %1</translation>
    </message>
    <message>
        <source>Could not download the file to verify it: %1</source>
        <translation>Impossible de télécharger le fichier pour le vérifier : %1</translation>
    </message>
    <message>
        <source>The file cannot be read any more to verify it.</source>
        <translation>Le fichier ne peut plus être lu pour le vérifier.</translation>
    </message>
    <message>
        <source>this source cannot be rewound, so it cannot be verified</source>
        <translation>cette source ne peut pas être rembobinée, elle ne peut donc pas être vérifiée</translation>
    </message>
    <message>
        <source>The server&apos;s copy differs from the file (SHA-256 %1 instead of %2).</source>
        <translation>La copie du serveur diffère du fichier (SHA-256 %1 au lieu de %2).</translation>
    </message>
    <message>
        <source>the direct upload kept failing (%1)</source>
        <translation>l’envoi direct échouait sans cesse (%1)</translation>
    </message>
    <message numerus="yes">
        <source>Gave up after %n tries: %1</source>
        <translation>
            <numerusform>Abandon après %n essai : %1</numerusform>
            <numerusform>Abandon après %n essais : %1</numerusform>
        </translation>
    </message>
    <message>
        <source>The server no longer accepts the sign-in; waiting for a new one.</source>
        <translation>Le serveur n’accepte plus la connexion ; en attente d’une nouvelle.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::UploadListModel</name>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Checking the file</source>
        <translation>Vérification du fichier</translation>
    </message>
    <message>
        <source>Asking the server for an address</source>
        <translation>Demande d’une adresse au serveur</translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation>Envoi en cours</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message numerus="yes">
        <source>Retrying in %n s</source>
        <translation>
            <numerusform>Nouvel essai dans %n s</numerusform>
            <numerusform>Nouvel essai dans %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for sign-in</source>
        <translation>En attente de connexion</translation>
    </message>
    <message>
        <source>Finishing</source>
        <translation>Finalisation</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>direct to storage</source>
        <translation>directement vers le stockage</translation>
    </message>
    <message>
        <source>through the homeserver</source>
        <translation>via le serveur d’accueil</translation>
    </message>
    <message>
        <source>through the homeserver (%1)</source>
        <translation>via le serveur d’accueil (%1)</translation>
    </message>
    <message>
        <source>Check where the file went, then add it again.</source>
        <translation>Vérifiez où est passé le fichier, puis ajoutez-le à nouveau.</translation>
    </message>
    <message>
        <source>Make the file readable, then Retry.</source>
        <translation>Rendez le fichier lisible, puis « Réessayer ».</translation>
    </message>
    <message>
        <source>Send a smaller file, or share this one another way.</source>
        <translation>Envoyez un fichier plus petit, ou partagez celui-ci autrement.</translation>
    </message>
    <message>
        <source>Remove this row and add the file again.</source>
        <translation>Retirez cette ligne et ajoutez le fichier à nouveau.</translation>
    </message>
    <message>
        <source>Sign in again, then Retry.</source>
        <translation>Reconnectez-vous, puis « Réessayer ».</translation>
    </message>
    <message>
        <source>The server will not take this file; Remove it.</source>
        <translation>Le serveur n’acceptera pas ce fichier ; retirez-le.</translation>
    </message>
    <message>
        <source>Check the connection, or wait a while, then Retry.</source>
        <translation>Vérifiez la connexion ou patientez un peu, puis « Réessayer ».</translation>
    </message>
    <message>
        <source>Try again later with Retry.</source>
        <translation>Réessayez plus tard avec « Réessayer ».</translation>
    </message>
    <message>
        <source>Remove this row and add the data again.</source>
        <translation>Retirez cette ligne et ajoutez les données à nouveau.</translation>
    </message>
    <message>
        <source>The program that added it has to give its size.</source>
        <translation>Le programme qui l’a ajouté doit en indiquer la taille.</translation>
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
        <translation>Gestionnaire d’envois</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>Ajouter un dossier</translation>
    </message>
    <message numerus="yes">
        <source>The folder %1 holds %n file(s). Upload them all?</source>
        <translation>
            <numerusform>Le dossier %1 contient %n fichier. L’envoyer ?</numerusform>
            <numerusform>Le dossier %1 contient %n fichiers. Les envoyer tous ?</numerusform>
        </translation>
    </message>
    <message>
        <source>Add files to upload</source>
        <translation>Ajouter des fichiers à envoyer</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Pause the selected uploads</source>
        <translation>Mettre en pause les envois sélectionnés</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <source>Resume the selected uploads</source>
        <translation>Reprendre les envois sélectionnés</translation>
    </message>
    <message>
        <source>Pause or resume</source>
        <translation>Pause ou reprise</translation>
    </message>
    <message>
        <source>Pause the selected uploads, or resume them when paused</source>
        <translation>Mettre en pause les envois sélectionnés, ou les reprendre s’ils sont en pause</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>A&amp;nnuler</translation>
    </message>
    <message>
        <source>Stop the selected uploads for good</source>
        <translation>Arrêter définitivement les envois sélectionnés</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>Réess&amp;ayer</translation>
    </message>
    <message>
        <source>Try the failed uploads again</source>
        <translation>Relancer les envois qui ont échoué</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>Re&amp;tirer</translation>
    </message>
    <message>
        <source>Remove the selected rows, cancelling unfinished uploads</source>
        <translation>Retirer les lignes sélectionnées en annulant les envois inachevés</translation>
    </message>
    <message>
        <source>Copy &amp;link</source>
        <translation>Copier le &amp;lien</translation>
    </message>
    <message>
        <source>Copy the content URIs of the selected finished uploads</source>
        <translation>Copier les URI de contenu des envois terminés sélectionnés</translation>
    </message>
    <message>
        <source>Pa&amp;ste</source>
        <translation>C&amp;oller</translation>
    </message>
    <message>
        <source>Upload the files or the image on the clipboard</source>
        <translation>Envoyer les fichiers ou l’image du presse-papiers</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>A&amp;jouter des fichiers…</translation>
    </message>
    <message>
        <source>Choose files to upload</source>
        <translation>Choisir des fichiers à envoyer</translation>
    </message>
    <message>
        <source>Pause all</source>
        <translation>Tout mettre en pause</translation>
    </message>
    <message>
        <source>Pause every upload</source>
        <translation>Mettre en pause tous les envois</translation>
    </message>
    <message>
        <source>Resume all</source>
        <translation>Tout reprendre</translation>
    </message>
    <message>
        <source>Resume every paused upload</source>
        <translation>Reprendre tous les envois en pause</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Tout annuler</translation>
    </message>
    <message>
        <source>Stop every unfinished upload</source>
        <translation>Arrêter tous les envois inachevés</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Retirer les terminés</translation>
    </message>
    <message>
        <source>Remove the rows of finished and cancelled uploads</source>
        <translation>Retirer les lignes des envois terminés et annulés</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Totaux</translation>
    </message>
    <message>
        <source>Overall progress</source>
        <translation>Progression globale</translation>
    </message>
    <message>
        <source>Uploads</source>
        <translation>Envois</translation>
    </message>
    <message>
        <source>No uploads</source>
        <translation>Aucun envoi</translation>
    </message>
    <message>
        <source>No uploads yet.

Drop files or folders here, paste them with Ctrl+V, or choose Add files…</source>
        <translation>Aucun envoi pour l’instant.

Déposez des fichiers ou des dossiers ici, collez-les avec Ctrl+V, ou choisissez « Ajouter des fichiers… »</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Upload actions</source>
        <translation>Actions d’envoi</translation>
    </message>
    <message>
        <source>The folder %1 holds no files.</source>
        <translation>Le dossier %1 ne contient aucun fichier.</translation>
    </message>
    <message>
        <source>Skipped the folder %1.</source>
        <translation>Dossier %1 ignoré.</translation>
    </message>
    <message>
        <source>Files added: %1</source>
        <translation>Fichiers ajoutés : %1</translation>
    </message>
    <message>
        <source>Only files on this computer can be uploaded; links skipped: %1</source>
        <translation>Seuls les fichiers de cet ordinateur peuvent être envoyés ; liens ignorés : %1</translation>
    </message>
    <message>
        <source>Cannot save the pasted image: the folder %1 cannot be created.</source>
        <translation>Impossible d’enregistrer l’image collée : le dossier %1 ne peut pas être créé.</translation>
    </message>
    <message>
        <source>Cannot save the pasted image to %1.</source>
        <translation>Impossible d’enregistrer l’image collée dans %1.</translation>
    </message>
    <message>
        <source>Nothing to upload: no files and no image.</source>
        <translation>Rien à envoyer : ni fichier ni image.</translation>
    </message>
    <message>
        <source>Uploads removed: %1</source>
        <translation>Envois retirés : %1</translation>
    </message>
    <message>
        <source>No finished upload is selected: there is no link to copy yet.</source>
        <translation>Aucun envoi terminé n’est sélectionné : il n’y a pas encore de lien à copier.</translation>
    </message>
    <message>
        <source>Links copied: %1</source>
        <translation>Liens copiés : %1</translation>
    </message>
    <message>
        <source>%1 of %2 files done</source>
        <translation>%1 fichiers sur %2 terminés</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 restant</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 en échec</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::UploadViewModel</name>
    <message>
        <source>size unknown</source>
        <translation>taille inconnue</translation>
    </message>
    <message>
        <source>waits for a free slot</source>
        <translation>attend une place libre</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 restant</translation>
    </message>
    <message>
        <source>%1 of %2 sent</source>
        <translation>%1 sur %2 envoyés</translation>
    </message>
    <message>
        <source>Resume continues from there</source>
        <translation>« Reprendre » continue à partir de là</translation>
    </message>
    <message>
        <source>continues once you sign in again</source>
        <translation>continue dès que vous vous reconnectez</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>vérifié</translation>
    </message>
    <message>
        <source>nothing more is sent</source>
        <translation>plus rien n’est envoyé</translation>
    </message>
    <message>
        <source>encrypted</source>
        <translation>chiffré</translation>
    </message>
    <message>
        <source>%1, protocol %2</source>
        <translation>%1, protocole %2</translation>
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
        <translation>%1, chiffré</translation>
    </message>
</context>
<context>
    <name>UploadDelegate</name>
    <message>
        <source>%1, %2, encrypted</source>
        <translation>%1, %2, chiffré</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Progression de %1</translation>
    </message>
    <message>
        <source>encrypted</source>
        <translation>chiffré</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 restant</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Pause the upload of %1</source>
        <translation>Mettre en pause l’envoi de %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Resume the upload of %1</source>
        <translation>Reprendre l’envoi de %1</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Retry the upload of %1</source>
        <translation>Relancer l’envoi de %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel the upload of %1</source>
        <translation>Annuler l’envoi de %1</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Copier le lien</translation>
    </message>
    <message>
        <source>Copy the link to %1</source>
        <translation>Copier le lien vers %1</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Remove %1 from the list</source>
        <translation>Retirer %1 de la liste</translation>
    </message>
</context>
<context>
    <name>UploadManagerView</name>
    <message>
        <source>Uploads</source>
        <translation>Envois</translation>
    </message>
    <message>
        <source>No uploads</source>
        <translation>Aucun envoi</translation>
    </message>
    <message>
        <source>%1 of %2 files done · %3 of %4</source>
        <translation>%1 fichiers sur %2 terminés · %3 sur %4</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n en échec</numerusform>
            <numerusform>%n en échec</numerusform>
        </translation>
    </message>
    <message>
        <source>Pause all</source>
        <translation>Tout mettre en pause</translation>
    </message>
    <message>
        <source>Pause all uploads</source>
        <translation>Mettre en pause tous les envois</translation>
    </message>
    <message>
        <source>Resume all</source>
        <translation>Tout reprendre</translation>
    </message>
    <message>
        <source>Resume all paused uploads</source>
        <translation>Reprendre tous les envois en pause</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Tout annuler</translation>
    </message>
    <message>
        <source>Cancel all unfinished uploads</source>
        <translation>Annuler tous les envois inachevés</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Retirer les terminés</translation>
    </message>
    <message>
        <source>Remove finished uploads from the list</source>
        <translation>Retirer de la liste les envois terminés</translation>
    </message>
    <message>
        <source>Progress of all uploads</source>
        <translation>Progression de tous les envois</translation>
    </message>
    <message>
        <source>Drop files here to upload them</source>
        <translation>Déposez des fichiers ici pour les envoyer</translation>
    </message>
</context>
</TS>
