<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>MatrixUpload::App::AboutDialog</name>
    <message>
        <source>About %1</source>
        <translation>À propos de %1</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>Drop files on a window, and they go into Matrix: uploaded the fastest way the server allows, resumable, and posted to a room.</source>
        <translation>Déposez des fichiers sur une fenêtre, et ils vont dans Matrix : envoyés de la façon la plus rapide que le serveur permet, avec reprise, et publiés dans un salon.</translation>
    </message>
    <message>
        <source>Free software under the MIT licence.</source>
        <translation>Logiciel libre sous licence MIT.</translation>
    </message>
    <message>
        <source>Built with Qt %1, running on Qt %2.</source>
        <translation>Compilé avec Qt %1, exécuté avec Qt %2.</translation>
    </message>
    <message>
        <source>&amp;Licence</source>
        <translation>&amp;Licence</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::DesktopNotifier</name>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::HistoryWindow</name>
    <message>
        <source>Copy Content URI</source>
        <translation>Copier l’URI du contenu</translation>
    </message>
    <message>
        <source>Copy Link</source>
        <translation>Copier le lien</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Clear History…</source>
        <translation>Effacer l’historique…</translation>
    </message>
    <message>
        <source>Upload History</source>
        <translation>Historique des envois</translation>
    </message>
    <message>
        <source>Copy the mxc:// URI of the file</source>
        <translation>Copier l’URI mxc:// du fichier</translation>
    </message>
    <message>
        <source>Copy a matrix.to link to the message the file was posted in</source>
        <translation>Copier un lien matrix.to vers le message dans lequel le fichier a été publié</translation>
    </message>
    <message>
        <source>Remove from the history (the file stays on the server)</source>
        <translation>Retirer de l’historique (le fichier reste sur le serveur)</translation>
    </message>
    <message>
        <source>Clear History</source>
        <translation>Effacer l’historique</translation>
    </message>
    <message>
        <source>Remove every upload from the history? The files stay on the server.</source>
        <translation>Retirer tous les envois de l’historique ? Les fichiers restent sur le serveur.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::MainWindow</name>
    <message>
        <source>No keychain is available (%1), so the sign-in cannot be kept: you stay signed in until you quit. Next time, sign in again, or start the app with the token in MATRIX_ACCESS_TOKEN and --homeserver URL.</source>
        <translation>Aucun trousseau n’est disponible (%1), la connexion ne peut donc pas être conservée : vous restez connecté jusqu’à ce que vous quittiez. La prochaine fois, reconnectez-vous, ou lancez l’application avec le jeton dans MATRIX_ACCESS_TOKEN et --homeserver URL.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Add Files…</source>
        <translation>A&amp;jouter des fichiers…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <source>&amp;Paste Files or Image</source>
        <translation>&amp;Coller des fichiers ou une image</translation>
    </message>
    <message>
        <source>Show or Hide</source>
        <translation>Afficher ou masquer</translation>
    </message>
    <message>
        <source>Pause All</source>
        <translation>Tout mettre en pause</translation>
    </message>
    <message>
        <source>Resume All</source>
        <translation>Tout reprendre</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>The keychain did not give the sign-in: %1</source>
        <translation>Le trousseau n’a pas fourni la connexion : %1</translation>
    </message>
    <message>
        <source>The server no longer accepts your sign-in. Sign in again: your uploads wait and continue from where they are.</source>
        <translation>Le serveur n’accepte plus votre connexion. Reconnectez-vous : vos envois attendent et reprendront là où ils en sont.</translation>
    </message>
    <message>
        <source>Signed in again: the uploads continue.</source>
        <translation>Reconnecté : les envois continuent.</translation>
    </message>
    <message>
        <source>The sign-in could not be kept in the keychain: %1. You stay signed in until you quit.</source>
        <translation>La connexion n’a pas pu être conservée dans le trousseau : %1. Vous restez connecté jusqu’à ce que vous quittiez.</translation>
    </message>
    <message>
        <source>The room each uploaded file is posted to</source>
        <translation>Le salon dans lequel chaque fichier envoyé est publié</translation>
    </message>
    <message>
        <source>Post to:</source>
        <translation>Publier dans :</translation>
    </message>
    <message>
        <source>This room is encrypted and Matrix Uploader cannot encrypt messages: files are uploaded encrypted, but not posted.</source>
        <translation>Ce salon est chiffré et Matrix Uploader ne sait pas chiffrer les messages : les fichiers sont envoyés chiffrés, mais pas publiés.</translation>
    </message>
    <message>
        <source>Name and Caption…</source>
        <translation>Nom et légende…</translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished upload(s) from the last run: Resume continues them from where they stopped.</source>
        <translation>
            <numerusform>%n envoi inachevé de la dernière session : « Reprendre » le poursuit là où il s’est arrêté.</numerusform>
            <numerusform>%n envois inachevés de la dernière session : « Reprendre » les poursuit là où ils se sont arrêtés.</numerusform>
        </translation>
    </message>
    <message>
        <source>No room (only upload)</source>
        <translation>Aucun salon (envoyer seulement)</translation>
    </message>
    <message>
        <source>%1 (encrypted)</source>
        <translation>%1 (chiffré)</translation>
    </message>
    <message>
        <source>Not posted: %1 is encrypted, and Matrix Uploader cannot encrypt messages</source>
        <translation>Non publié : %1 est chiffré, et Matrix Uploader ne sait pas chiffrer les messages</translation>
    </message>
    <message>
        <source>Cannot post to an encrypted room</source>
        <translation>Impossible de publier dans un salon chiffré</translation>
    </message>
    <message>
        <source>Copy the event content and send it from a client that encrypts (it holds the key of the file), or post the file to another room.</source>
        <translation>Copiez le contenu de l’événement et envoyez-le depuis un client qui chiffre (il contient la clé du fichier), ou publiez le fichier dans un autre salon.</translation>
    </message>
    <message>
        <source>Copy event content</source>
        <translation>Copier le contenu de l’événement</translation>
    </message>
    <message>
        <source>Post to another room…</source>
        <translation>Publier dans un autre salon…</translation>
    </message>
    <message>
        <source>%1 was uploaded encrypted, but it was not posted to %2: that room is end-to-end encrypted, and Matrix Uploader cannot encrypt messages.</source>
        <translation>%1 a été envoyé chiffré, mais n’a pas été publié dans %2 : ce salon est chiffré de bout en bout, et Matrix Uploader ne sait pas chiffrer les messages.</translation>
    </message>
    <message numerus="yes">
        <source>%n files were uploaded encrypted, but they were not posted to %1: that room is end-to-end encrypted, and Matrix Uploader cannot encrypt messages.</source>
        <translation>
            <numerusform>%n fichier a été envoyé chiffré, mais n’a pas été publié dans %1 : ce salon est chiffré de bout en bout, et Matrix Uploader ne sait pas chiffrer les messages.</numerusform>
            <numerusform>%n fichiers ont été envoyés chiffrés, mais n’ont pas été publiés dans %1 : ce salon est chiffré de bout en bout, et Matrix Uploader ne sait pas chiffrer les messages.</numerusform>
        </translation>
    </message>
    <message>
        <source>Signed in with a token</source>
        <translation>Connecté avec un jeton</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>The server did not confirm the sign-out: %1</source>
        <translation>Le serveur n’a pas confirmé la déconnexion : %1</translation>
    </message>
    <message>
        <source>Uploads go on here. Quit from this menu.</source>
        <translation>Les envois continuent ici. Quittez depuis ce menu.</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About Matrix Uploader</source>
        <translation>&amp;À propos de Matrix Uploader</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>The account shown; the uploads of the others go on</source>
        <translation>Le compte affiché ; les envois des autres continuent</translation>
    </message>
    <message>
        <source>Add &amp;Account…</source>
        <translation>Ajouter un &amp;compte…</translation>
    </message>
    <message>
        <source>A&amp;ccount</source>
        <translation>&amp;Compte</translation>
    </message>
    <message>
        <source>Add Account…</source>
        <translation>Ajouter un compte…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;Historique…</translation>
    </message>
    <message>
        <source>The sign-in of %1 could not be restored (%2): sign in again with Account, Add Account…</source>
        <translation>La connexion de %1 n’a pas pu être restaurée (%2) : reconnectez-vous avec Compte, Ajouter un compte…</translation>
    </message>
    <message>
        <source>Files of another account were not posted: each account posts to its own rooms.</source>
        <translation>Les fichiers d’un autre compte n’ont pas été publiés : chaque compte publie dans ses propres salons.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::MessageTextDialog</name>
    <message>
        <source>Name and Caption</source>
        <translation>Nom et légende</translation>
    </message>
    <message>
        <source>Names and Captions</source>
        <translation>Noms et légendes</translation>
    </message>
    <message>
        <source>The message posted with this file shows its name and caption.</source>
        <translation>Le message publié avec ce fichier affiche son nom et sa légende.</translation>
    </message>
    <message>
        <source>The messages posted with these files show their names and captions.</source>
        <translation>Les messages publiés avec ces fichiers affichent leurs noms et légendes.</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>Nom du fichier</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>Légende</translation>
    </message>
    <message>
        <source>No caption</source>
        <translation>Aucune légende</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
    <message>
        <source>Caption:</source>
        <translation>Légende :</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>Publier</translation>
    </message>
    <message>
        <source>Post as They Are</source>
        <translation>Publier tels quels</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::RoomPickerDialog</name>
    <message>
        <source>Loading your rooms…</source>
        <translation>Chargement de vos salons…</translation>
    </message>
    <message>
        <source>Post to a room</source>
        <translation>Publier dans un salon</translation>
    </message>
    <message>
        <source>Search rooms by name</source>
        <translation>Rechercher des salons par nom</translation>
    </message>
    <message>
        <source>Do not post (only upload)</source>
        <translation>Ne pas publier (envoyer seulement)</translation>
    </message>
    <message>
        <source>Your rooms could not be listed: %1</source>
        <translation>Vos salons n’ont pas pu être listés : %1</translation>
    </message>
    <message>
        <source>You have not joined any room yet.</source>
        <translation>Vous n’avez encore rejoint aucun salon.</translation>
    </message>
    <message>
        <source>%1 (encrypted)</source>
        <translation>%1 (chiffré)</translation>
    </message>
    <message>
        <source>%1
Encrypted: Matrix Uploader cannot post here, it cannot encrypt messages</source>
        <translation>%1
Chiffré : Matrix Uploader ne peut pas publier ici, il ne sait pas chiffrer les messages</translation>
    </message>
    <message>
        <source>You are no longer in the room chosen before.</source>
        <translation>Vous n’êtes plus dans le salon choisi auparavant.</translation>
    </message>
    <message numerus="yes">
        <source>%n room(s)</source>
        <translation>
            <numerusform>%n salon</numerusform>
            <numerusform>%n salons</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::SettingsDialog</name>
    <message>
        <source>Upload straight to the server&apos;s storage when it offers it</source>
        <translation>Envoyer directement vers le stockage du serveur quand il le propose</translation>
    </message>
    <message>
        <source>Download each file again and compare after the upload</source>
        <translation>Retélécharger chaque fichier et le comparer après l’envoi</translation>
    </message>
    <message>
        <source>Start in the tray, without a window</source>
        <translation>Démarrer dans la zone de notification, sans fenêtre</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> Mio</translation>
    </message>
    <message>
        <source>Off: every file goes through the homeserver.</source>
        <translation>Désactivé : chaque fichier passe par le serveur d’accueil.</translation>
    </message>
    <message>
        <source>As soon as the upload starts (keeps the order)</source>
        <translation>Dès le début de l’envoi (conserve l’ordre)</translation>
    </message>
    <message>
        <source>When the upload is complete</source>
        <translation>Quand l’envoi est terminé</translation>
    </message>
    <message>
        <source>This desktop shows no tray: the window opens anyway.</source>
        <translation>Ce bureau n’a pas de zone de notification : la fenêtre s’ouvre quand même.</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Uploads at once:</source>
        <translation>Envois simultanés :</translation>
    </message>
    <message>
        <source>Chunk size:</source>
        <translation>Taille des blocs :</translation>
    </message>
    <message>
        <source>Post files to:</source>
        <translation>Publier les fichiers dans :</translation>
    </message>
    <message>
        <source>Post when:</source>
        <translation>Publier :</translation>
    </message>
    <message>
        <source>No room (files are only uploaded)</source>
        <translation>Aucun salon (les fichiers sont seulement envoyés)</translation>
    </message>
    <message>
        <source>Show notifications</source>
        <translation>Afficher les notifications</translation>
    </message>
    <message>
        <source>When all uploads are done, and when a file fails: in the tray, or where there is none as a desktop notification.</source>
        <translation>Quand tous les envois sont terminés, et quand un fichier échoue : dans la zone de notification, ou, là où il n’y en a pas, en notification du bureau.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <source>How much is sent in one request of a resumable upload: after a lost connection at most this much is sent again. Automatic: from 8 MiB, larger on a link with long round trips.</source>
        <translation>La quantité envoyée par requête d’un envoi reprenable : après une connexion perdue, au plus cette quantité est renvoyée. Automatique : à partir de 8 Mio, davantage sur une liaison à longs allers-retours.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::SignInPage</name>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>@alice:example.org</source>
        <translation>@alice:example.org</translation>
    </message>
    <message>
        <source>Found from your user ID, or e.g. matrix.example.org</source>
        <translation>Déduit de votre identifiant, ou par ex. matrix.example.org</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Sign in to Matrix&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Se connecter à Matrix&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>&amp;User ID:</source>
        <translation>&amp;Identifiant :</translation>
    </message>
    <message>
        <source>Home&amp;server:</source>
        <translation>&amp;Serveur d’accueil :</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe :</translation>
    </message>
    <message>
        <source>Unknown server: %1 cannot be found. Check the spelling of the user ID or the homeserver.</source>
        <translation>Serveur inconnu : %1 est introuvable. Vérifiez l’orthographe de l’identifiant ou du serveur d’accueil.</translation>
    </message>
    <message>
        <source>%1 does not answer: the server may be down, or you are offline (%2).</source>
        <translation>%1 ne répond pas : le serveur est peut-être hors service, ou vous êtes hors ligne (%2).</translation>
    </message>
    <message>
        <source>%1 cannot be trusted: its certificate is not valid (%2).</source>
        <translation>%1 n’est pas digne de confiance : son certificat n’est pas valide (%2).</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>Impossible de joindre %1 : %2</translation>
    </message>
    <message>
        <source>%1 has a problem right now (%2). Try again later.</source>
        <translation>%1 rencontre un problème en ce moment (%2). Réessayez plus tard.</translation>
    </message>
    <message>
        <source>%1 is not a Matrix server, or not one this app can use (%2).</source>
        <translation>%1 n’est pas un serveur Matrix, ou pas un que cette application peut utiliser (%2).</translation>
    </message>
    <message>
        <source>Enter your user ID and password.</source>
        <translation>Saisissez votre identifiant et votre mot de passe.</translation>
    </message>
    <message>
        <source>Enter your full user ID (@name:server), or the homeserver.</source>
        <translation>Saisissez votre identifiant complet (@nom:serveur), ou le serveur d’accueil.</translation>
    </message>
    <message>
        <source>Looking up %1…</source>
        <translation>Recherche de %1…</translation>
    </message>
    <message>
        <source>Signing in to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <source>Wrong user ID or password.</source>
        <translation>Identifiant ou mot de passe incorrect.</translation>
    </message>
    <message>
        <source>Too many sign-in attempts: wait a moment and try again.</source>
        <translation>Trop de tentatives de connexion : patientez un instant et réessayez.</translation>
    </message>
    <message>
        <source>The server refused the sign-in: %1</source>
        <translation>Le serveur a refusé la connexion : %1</translation>
    </message>
    <message>
        <source>Signed in.</source>
        <translation>Connecté.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>The browser did not come back in time, so the single sign-on was stopped. Try again, and finish signing in there.</source>
        <translation>Le navigateur n’est pas revenu à temps, l’authentification unique a donc été arrêtée. Réessayez et terminez la connexion dans le navigateur.</translation>
    </message>
    <message>
        <source>The server refused the single sign-on: its sign-in link was used already or has expired. Try again.</source>
        <translation>Le serveur a refusé l’authentification unique : son lien de connexion a déjà servi ou a expiré. Réessayez.</translation>
    </message>
    <message>
        <source>Sign in with single sign-on</source>
        <translation>Se connecter par authentification unique (SSO)</translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation>Se connecter avec %1</translation>
    </message>
    <message>
        <source>Cannot wait for the browser to come back: %1</source>
        <translation>Impossible d’attendre le retour du navigateur : %1</translation>
    </message>
    <message>
        <source>Continue in your browser: sign in there, then come back here.</source>
        <translation>Continuez dans votre navigateur : connectez-vous-y, puis revenez ici.</translation>
    </message>
    <message>
        <source>No web browser could be opened for the single sign-on.</source>
        <translation>Aucun navigateur web n’a pu être ouvert pour l’authentification unique.</translation>
    </message>
    <message>
        <source>Single sign-on cancelled.</source>
        <translation>Authentification unique annulée.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Back to the account signed in already</source>
        <translation>Retour au compte déjà connecté</translation>
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
        <translation>La requête est trop grande.</translation>
    </message>
    <message>
        <source>This is not a request.</source>
        <translation>Ceci n’est pas une requête.</translation>
    </message>
    <message>
        <source>Only GET is answered here.</source>
        <translation>Seul GET reçoit une réponse ici.</translation>
    </message>
    <message>
        <source>This is not the sign-in Matrix Uploader is waiting for.</source>
        <translation>Ce n’est pas la connexion qu’attend Matrix Uploader.</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>Échec de la connexion</translation>
    </message>
    <message>
        <source>The server sent no login token back. Return to Matrix Uploader and try again.</source>
        <translation>Le serveur n’a renvoyé aucun jeton de connexion. Revenez à Matrix Uploader et réessayez.</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <source>You can close this tab and return to Matrix Uploader.</source>
        <translation>Vous pouvez fermer cet onglet et revenir à Matrix Uploader.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::TrayStatus</name>
    <message>
        <source>Not signed in</source>
        <translation>Non connecté</translation>
    </message>
    <message numerus="yes">
        <source>Uploading %n file(s): %1 %</source>
        <translation>
            <numerusform>Envoi de %n fichier : %1 %</numerusform>
            <numerusform>Envoi de %n fichiers : %1 %</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n upload(s) paused</source>
        <translation>
            <numerusform>%n envoi en pause</numerusform>
            <numerusform>%n envois en pause</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n upload(s) failed</source>
        <translation>
            <numerusform>%n envoi en échec</numerusform>
            <numerusform>%n envois en échec</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to upload</source>
        <translation>Rien à envoyer</translation>
    </message>
    <message>
        <source>Upload failed: %1</source>
        <translation>Échec de l’envoi : %1</translation>
    </message>
    <message>
        <source>Uploads complete</source>
        <translation>Envois terminés</translation>
    </message>
    <message>
        <source>Uploads finished</source>
        <translation>Envois achevés</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) uploaded</source>
        <translation>
            <numerusform>%n fichier envoyé</numerusform>
            <numerusform>%n fichiers envoyés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n en échec</numerusform>
            <numerusform>%n en échec</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::UploadHistory</name>
    <message>
        <source>not an upload history of this version</source>
        <translation>pas un historique des envois de cette version</translation>
    </message>
    <message>
        <source>an entry without a content URI or date</source>
        <translation>une entrée sans URI du contenu ou date</translation>
    </message>
    <message>
        <source>The upload history could not be read (%1). It was moved to %2 and starts empty.</source>
        <translation>L’historique des envois n’a pas pu être lu (%1). Il a été déplacé vers %2 et repart vide.</translation>
    </message>
    <message>
        <source>The upload history could not be read (%1) and is left as it is in %2: uploads of this run are not kept in it.</source>
        <translation>L’historique des envois n’a pas pu être lu (%1) et reste tel quel dans %2 : les envois de cette session n’y sont pas conservés.</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <source>Not posted</source>
        <translation>Non publié</translation>
    </message>
    <message>
        <source>%1 (encrypted)</source>
        <translation>%1 (chiffré)</translation>
    </message>
    <message>
        <source>%1
event %2</source>
        <translation>%1
événement %2</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Salon</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>The upload history was written by a newer version of Matrix Uploader and is left as it is in %1: uploads of this run are not kept in it.</source>
        <translation>L’historique des envois a été écrit par une version plus récente de Matrix Uploader et reste tel quel dans %1 : les envois de cette session n’y sont pas conservés.</translation>
    </message>
    <message>
        <source>Some entries of the upload history could not be read (%1). The file was kept as %2, and the entries that could be read are listed.</source>
        <translation>Certaines entrées de l’historique des envois n’ont pas pu être lues (%1). Le fichier a été conservé sous %2, et les entrées lisibles sont affichées.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::Cli::DownloadCommand</name>
    <message>
        <source>error: cannot write %1: %2</source>
        <translation>erreur : impossible d’écrire %1 : %2</translation>
    </message>
    <message>
        <source>error: cannot download %1: %2</source>
        <translation>erreur : impossible de télécharger %1 : %2</translation>
    </message>
    <message>
        <source>error: %1 does not decrypt: %2. Nothing was written to %3.</source>
        <translation>erreur : %1 ne se déchiffre pas : %2. Rien n’a été écrit dans %3.</translation>
    </message>
    <message>
        <source>error: cannot replace %1</source>
        <translation>erreur : impossible de remplacer %1</translation>
    </message>
    <message>
        <source>error: cannot rename %1 to %2: %3</source>
        <translation>erreur : impossible de renommer %1 en %2 : %3</translation>
    </message>
    <message>
        <source>%1: %2 decrypted, hashes.sha256 matches</source>
        <translation>%1 : %2 déchiffré, hashes.sha256 correspond</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Interrupted; nothing was written to %1.</source>
        <translation>Interrompu ; rien n’a été écrit dans %1.</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::Cli::UploadCommand</name>
    <message numerus="yes">
        <source>Resuming %n unfinished upload(s).</source>
        <translation>
            <numerusform>Reprise de %n envoi inachevé.</numerusform>
            <numerusform>Reprise de %n envois inachevés.</numerusform>
        </translation>
    </message>
    <message>
        <source>note: %1: %2</source>
        <translation>remarque : %1 : %2</translation>
    </message>
    <message>
        <source>Nothing to resume.</source>
        <translation>Rien à reprendre.</translation>
    </message>
    <message>
        <source>No files given.</source>
        <translation>Aucun fichier indiqué.</translation>
    </message>
    <message>
        <source>Paused. Run &quot;matrix-uploader-cli upload --resume&quot; to continue.</source>
        <translation>En pause. Lancez « matrix-uploader-cli upload --resume » pour continuer.</translation>
    </message>
    <message>
        <source>error: the server no longer accepts this sign-in (%1).</source>
        <translation>erreur : le serveur n’accepte plus cette connexion (%1).</translation>
    </message>
    <message>
        <source>Sign in again with &quot;matrix-uploader-cli login&quot; (or set a new %1), then run &quot;matrix-uploader-cli upload --resume&quot; to continue from what the server holds.</source>
        <translation>Reconnectez-vous avec « matrix-uploader-cli login » (ou définissez un nouveau %1), puis lancez « matrix-uploader-cli upload --resume » pour continuer à partir de ce que le serveur détient.</translation>
    </message>
    <message>
        <source>note: %1: the thumbnail was not uploaded: %2</source>
        <translation>remarque : %1 : la miniature n’a pas été envoyée : %2</translation>
    </message>
    <message>
        <source>verified: %1</source>
        <translation>vérifié : %1</translation>
    </message>
    <message>
        <source>error: %1: %2</source>
        <translation>erreur : %1 : %2</translation>
    </message>
    <message>
        <source>paused: %1 (%2 of %3 confirmed)</source>
        <translation>en pause : %1 (%2 sur %3 confirmés)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Total: %1 of %2, %3 of %4 files done, %5/s, %6 left</source>
        <translation>Total : %1 sur %2, %3 fichiers sur %4 terminés, %5/s, %6 restant</translation>
    </message>
</context>
<context>
    <name>MatrixUpload::Programs</name>
    <message>
        <source>Matrix Uploader on %1</source>
        <translation>Matrix Uploader sur %1</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>cannot read %1: %2</source>
        <translation>impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>%1 is too large to be an EncryptedFile</source>
        <translation>%1 est trop volumineux pour être un EncryptedFile</translation>
    </message>
    <message>
        <source>%1 is not a JSON object: %2</source>
        <translation>%1 n’est pas un objet JSON : %2</translation>
    </message>
    <message>
        <source>%1 has no EncryptedFile in &quot;file&quot; (an upload that was not encrypted, or did not complete?)</source>
        <translation>%1 n’a pas d’EncryptedFile dans « file » (un envoi non chiffré, ou inachevé ?)</translation>
    </message>
    <message>
        <source>%1 is not a valid EncryptedFile: %2</source>
        <translation>%1 n’est pas un EncryptedFile valide : %2</translation>
    </message>
    <message>
        <source>error: cannot find a Matrix server at %1: %2</source>
        <translation>erreur : aucun serveur Matrix trouvé à %1 : %2</translation>
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
        <translation>Utilisation :
  matrix-uploader-cli login --homeserver URL_OR_SERVER_NAME --user NAME
      (le mot de passe est lu depuis le terminal, ou depuis l’entrée standard)
  matrix-uploader-cli logout
  matrix-uploader-cli upload [--homeserver URL] [options] FILE...
  matrix-uploader-cli upload --resume [options]
  matrix-uploader-cli download [--homeserver URL] [MXC] -o OUT [--encrypted-file FILE.json]
Lancez « matrix-uploader-cli upload --help » (ou download --help) pour voir les options.
Le jeton d’accès vient du trousseau (après login) ou de MATRIX_ACCESS_TOKEN.</translation>
    </message>
    <message>
        <source>Password for %1: </source>
        <translation>Mot de passe pour %1 : </translation>
    </message>
    <message>
        <source>error: no password given</source>
        <translation>erreur : aucun mot de passe indiqué</translation>
    </message>
    <message>
        <source>error: sign-in refused: %1</source>
        <translation>erreur : connexion refusée : %1</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>erreur : %1</translation>
    </message>
    <message>
        <source>Signed in as %1 on %2</source>
        <translation>Connecté en tant que %1 sur %2</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>Non connecté.</translation>
    </message>
    <message>
        <source>Signed out %1.</source>
        <translation>%1 déconnecté.</translation>
    </message>
    <message>
        <source>warning: the server did not confirm the sign-out: %1</source>
        <translation>avertissement : le serveur n’a pas confirmé la déconnexion : %1</translation>
    </message>
    <message>
        <source>--protocol takes one of %1</source>
        <translation>--protocol accepte l’une des valeurs %1</translation>
    </message>
    <message>
        <source>--chunk-size takes a multiple of 256K, such as 8M</source>
        <translation>--chunk-size accepte un multiple de 256K, par exemple 8M</translation>
    </message>
    <message>
        <source>--inactivity-timeout takes seconds, from 0.1 to 3600</source>
        <translation>--inactivity-timeout accepte des secondes, de 0.1 à 3600</translation>
    </message>
    <message>
        <source>--parallel takes a count of 1 or more</source>
        <translation>--parallel accepte un nombre supérieur ou égal à 1</translation>
    </message>
    <message>
        <source>upload needs files, or --resume</source>
        <translation>upload demande des fichiers, ou --resume</translation>
    </message>
    <message>
        <source>warning: the renewed sign-in could not be stored (%1); the next run may need &quot;matrix-uploader-cli login&quot;.</source>
        <translation>avertissement : la connexion renouvelée n’a pas pu être enregistrée (%1) ; la prochaine exécution pourrait demander « matrix-uploader-cli login ».</translation>
    </message>
    <message>
        <source>error: not signed in to %1. Run &quot;matrix-uploader-cli login&quot;, or set MATRIX_ACCESS_TOKEN.</source>
        <translation>erreur : non connecté à %1. Lancez « matrix-uploader-cli login », ou définissez MATRIX_ACCESS_TOKEN.</translation>
    </message>
    <message>
        <source>this command needs --homeserver (or a login first)</source>
        <translation>cette commande demande --homeserver (ou d’abord un login)</translation>
    </message>
    <message>
        <source>note: no keychain can keep the key (%1); an encrypted upload cannot resume after this program ends.</source>
        <translation>remarque : aucun trousseau ne peut conserver la clé (%1) ; un envoi chiffré ne pourra pas reprendre après la fin de ce programme.</translation>
    </message>
    <message>
        <source>download takes one content URI</source>
        <translation>download accepte une seule URI de contenu</translation>
    </message>
    <message>
        <source>download needs -o OUT</source>
        <translation>download demande -o OUT</translation>
    </message>
    <message>
        <source>download needs a content URI (mxc://server/id), or --encrypted-file</source>
        <translation>download demande une URI de contenu (mxc://serveur/id), ou --encrypted-file</translation>
    </message>
    <message>
        <source>not a content URI (mxc://server/id): %1</source>
        <translation>pas une URI de contenu (mxc://serveur/id) : %1</translation>
    </message>
    <message>
        <source>error: %1 is the EncryptedFile of %2, not of %3</source>
        <translation>erreur : %1 est l’EncryptedFile de %2, pas de %3</translation>
    </message>
    <message>
        <source>Server name (example.org) or homeserver URL.</source>
        <translation>Nom du serveur (example.org) ou URL du serveur d’accueil.</translation>
    </message>
    <message>
        <source>User name or full user ID.</source>
        <translation>Nom d’utilisateur ou identifiant complet.</translation>
    </message>
    <message>
        <source>Uploads files to a Matrix content repository.</source>
        <translation>Envoie des fichiers vers un dépôt de contenu Matrix.</translation>
    </message>
    <message>
        <source>Files to upload.</source>
        <translation>Fichiers à envoyer.</translation>
    </message>
    <message>
        <source>Homeserver URL or server name (default: the one signed in to).</source>
        <translation>URL du serveur d’accueil ou nom du serveur (par défaut : celui de la connexion).</translation>
    </message>
    <message>
        <source>auto (default), or force a path for diagnosis: put, content-range, tus, async, legacy.</source>
        <translation>auto (par défaut), ou imposer un chemin pour le diagnostic : put, content-range, tus, async, legacy.</translation>
    </message>
    <message>
        <source>Never use the server&apos;s direct upload URL.</source>
        <translation>Ne jamais utiliser l’URL d’envoi direct du serveur.</translation>
    </message>
    <message>
        <source>Uploads at the same time (default 3).</source>
        <translation>Envois simultanés (3 par défaut).</translation>
    </message>
    <message>
        <source>Seconds a request may stay silent (no byte sent or received) before it counts as stalled and is tried again (default 60).</source>
        <translation>Secondes pendant lesquelles une requête peut rester muette (aucun octet envoyé ni reçu) avant d’être considérée comme bloquée et relancée (60 par défaut).</translation>
    </message>
    <message>
        <source>Download each upload and compare its SHA-256.</source>
        <translation>Télécharger chaque envoi et comparer son SHA-256.</translation>
    </message>
    <message>
        <source>One JSON object per file and line on standard output, with the &apos;msgtype&apos; and &apos;info&apos; a message would post (sizes, duration, BlurHash, a thumbnail uploaded beside the file).</source>
        <translation>Un objet JSON par fichier et par ligne sur la sortie standard, avec le &apos;msgtype&apos; et l’&apos;info&apos; qu’un message publierait (tailles, durée, BlurHash, une miniature envoyée à côté du fichier).</translation>
    </message>
    <message>
        <source>Continue the unfinished uploads of earlier runs.</source>
        <translation>Poursuivre les envois inachevés des exécutions précédentes.</translation>
    </message>
    <message>
        <source>Upload encrypted attachments (AES-256-CTR, for encrypted rooms). The key is printed with the content URI; with --json, &apos;file&apos; is the EncryptedFile for the event and &apos;path&apos; the local file. The key is kept in the keychain until the upload ends, so --resume can continue it.</source>
        <translation>Envoyer des pièces jointes chiffrées (AES-256-CTR, pour les salons chiffrés). La clé est affichée avec l’URI de contenu ; avec --json, &apos;file&apos; est l’EncryptedFile de l’événement et &apos;path&apos; le fichier local. La clé reste dans le trousseau jusqu’à la fin de l’envoi, pour que --resume puisse le poursuivre.</translation>
    </message>
    <message>
        <source>Log each upload&apos;s steps (never the token or an upload URL&apos;s signature).</source>
        <translation>Journaliser les étapes de chaque envoi (jamais le jeton ni la signature d’une URL d’envoi).</translation>
    </message>
    <message>
        <source>Downloads a file from a Matrix content repository, decrypting an encrypted attachment. The file is written to OUT.part and renamed to OUT only when complete (and, when decrypted, its hashes.sha256 matched); on any failure no OUT is left and the exit status is 1.</source>
        <translation>Télécharge un fichier depuis un dépôt de contenu Matrix, en déchiffrant une pièce jointe chiffrée. Le fichier est écrit dans OUT.part et renommé en OUT seulement une fois complet (et, s’il est déchiffré, quand son hashes.sha256 correspond) ; en cas d’échec, aucun OUT ne reste et le code de sortie est 1.</translation>
    </message>
    <message>
        <source>The content URI, mxc://server/id. Optional with --encrypted-file, whose url is used; when both are given they must be the same.</source>
        <translation>L’URI de contenu, mxc://serveur/id. Facultative avec --encrypted-file, dont l’url est utilisée ; si les deux sont données, elles doivent être identiques.</translation>
    </message>
    <message>
        <source>Where to write the file.</source>
        <translation>Où écrire le fichier.</translation>
    </message>
    <message>
        <source>Decrypt with this EncryptedFile while downloading and check hashes.sha256. FILE.json is the EncryptedFile object, a line of &apos;upload --encrypt --json&apos;, or an event (or its content) with &apos;file&apos;.</source>
        <translation>Déchiffrer avec cet EncryptedFile pendant le téléchargement et vérifier hashes.sha256. FILE.json est l’objet EncryptedFile, une ligne de &apos;upload --encrypt --json&apos;, ou un événement (ou son contenu) avec &apos;file&apos;.</translation>
    </message>
    <message>
        <source>Log the requests (never the token).</source>
        <translation>Journaliser les requêtes (jamais le jeton).</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;</source>
        <translation>commande inconnue « %1 »</translation>
    </message>
    <message>
        <source>login needs --homeserver and --user</source>
        <translation>login demande --homeserver et --user</translation>
    </message>
    <message>
        <source>Chunk size for resumable uploads, a multiple of 256K (default: sized to the link, from 8M up to 256M).</source>
        <translation>Taille des morceaux des envois reprenables, un multiple de 256K (par défaut : adaptée à la liaison, de 8M à 256M).</translation>
    </message>
    <message>
        <source>Do not compare the SHA-256 an upload host names for its copy (content-range) with the bytes sent, and so do not hash them while they go (--json still hashes each file for its line): the size it names is still compared.</source>
        <translation>Ne pas comparer le SHA-256 qu’un hôte d’envoi donne pour sa copie (content-range) aux octets envoyés, et donc ne pas les hacher pendant l’envoi (--json hache toujours chaque fichier pour sa ligne) : la taille qu’il donne est toujours comparée.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Upload files to a Matrix server and post them to a room.

Scripted use: --homeserver URL with the access token in MATRIX_ACCESS_TOKEN skips the sign-in.</source>
        <translation>Envoyer des fichiers vers un serveur Matrix et les publier dans un salon.

Usage scripté : --homeserver URL avec le jeton d’accès dans MATRIX_ACCESS_TOKEN évite la connexion.</translation>
    </message>
    <message>
        <source>The homeserver&apos;s base URL, with MATRIX_ACCESS_TOKEN.</source>
        <translation>L’URL de base du serveur d’accueil, avec MATRIX_ACCESS_TOKEN.</translation>
    </message>
    <message>
        <source>Post the files of this run to this room ID.</source>
        <translation>Publier les fichiers de cette exécution dans le salon de cet identifiant.</translation>
    </message>
    <message>
        <source>Start in the tray, without a window.</source>
        <translation>Démarrer dans la zone de notification, sans fenêtre.</translation>
    </message>
    <message>
        <source>Files to upload.</source>
        <translation>Fichiers à envoyer.</translation>
    </message>
</context>
</TS>
